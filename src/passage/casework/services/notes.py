"""Notes on a case: encrypted, optionally restricted to those who work the case.

A restricted note is hidden from partners and break-glass readers (``casework.queries``
decides who reads which). Only its author edits a note, while they still work the case;
every edit is audited, the earlier text is not kept.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import NotAllowed
from passage.cases.models import Case
from passage.cases.services import common
from passage.casework.models import Note
from passage.casework.services.common import text


def note_add(
    *,
    case: Case,
    actor: User,
    body: str,
    restricted: bool = False,
    request_id: str | None = None,
) -> Note:
    access.require_working(actor, case)
    body = text(body, required=_("Write the note."))
    with audit.atomic():
        locked = common.lock(case)
        note = Note.objects.create(case=locked, author=actor, body=body, restricted=restricted)
        common.record(actor, "case.note_added", locked, request_id=request_id)
    return note


def note_edit(
    *,
    note: Note,
    actor: User,
    body: str,
    restricted: bool,
    request_id: str | None = None,
) -> Note:
    """Change a note's text or restriction: its author only."""
    access.require_working(actor, note.case)
    if note.author_id != actor.pk:
        raise NotAllowed(_("Only the author of a note can change it."))
    body = text(body, required=_("Write the note."))
    with audit.atomic():
        locked = common.lock(note.case)
        row = Note.objects.select_for_update().get(pk=note.pk, case=locked)
        row.body = body
        row.restricted = restricted
        row.edited_at = timezone.now()
        row.save(update_fields=["body", "restricted", "edited_at"])
        common.record(actor, "case.note_edited", locked, request_id=request_id)
    return row
