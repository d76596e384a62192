"""Every write of interpreting: giving a case an interpreter, ending it, and translations.

Assigning and ending are for those who work the case (``cases.access.require_working``); the
interpreter must hold ``Perm.INTERPRET``. Translations are written by the case's active
interpreters only (``interpreting.access.require_interpreting``). Each write and its audit entry
(ids and codes, never text) commit together.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import access, choices
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import common
from passage.interpreting import queries
from passage.interpreting.access import require_interpreting
from passage.interpreting.models import InterpreterAssignment, Translation

MAX_LANGUAGES = 10
MAX_TRANSLATION_CHARS = 50_000


def _languages(codes: Iterable[str]) -> list[str]:
    found = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not found:
        raise InvalidInput(_("Give at least one language the interpreter works in."))
    if len(found) > MAX_LANGUAGES:
        raise InvalidInput(_("Give at most 10 languages."))
    if any(code not in choices.language_codes() for code in found):
        raise InvalidInput(_("Use ISO 639 languages only."))
    return found


def _language(code: str) -> str:
    if code not in choices.language_codes():
        raise InvalidInput(_("Use an ISO 639 language."))
    return code


def may_interpret(user: User) -> bool:
    return (
        user.is_active
        and user.suspended_at is None
        and user.partner_id is None
        and user.may(Perm.INTERPRET)
    )


def interpreter_assign(
    *,
    case: Case,
    interpreter: User,
    languages: Iterable[str],
    actor: User,
    request_id: str | None = None,
) -> InterpreterAssignment:
    """Give ``case`` an interpreter for ``languages``; they see its narrative, messages and
    contacts until the assignment ends."""
    access.require_working(actor, case)
    codes = _languages(languages)
    if not may_interpret(interpreter):
        raise InvalidInput(_("Only an active interpreter can be given a case."))
    with audit.atomic():
        locked = common.lock(case)
        if locked.is_frozen:
            raise NotAllowed(_("This case is frozen: nobody new may see it."))
        if InterpreterAssignment.objects.filter(
            case=locked, interpreter=interpreter, ended_at__isnull=True
        ).exists():
            raise InvalidInput(_("This interpreter already works on the case."))
        assignment = InterpreterAssignment.objects.create(
            case=locked, interpreter=interpreter, languages=codes, assigned_by=actor
        )
        common.record(
            actor,
            "interpreting.assigned",
            locked,
            object_type="interpreter_assignment",
            object_id=str(assignment.pk),
            request_id=request_id,
        )
    return assignment


def interpreter_end(
    *, assignment: InterpreterAssignment, actor: User, request_id: str | None = None
) -> InterpreterAssignment:
    """End an assignment: the interpreter no longer sees the case (at once, on every page)."""
    access.require_working(actor, assignment.case)
    with audit.atomic():
        locked = InterpreterAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ended_at is not None:
            raise InvalidInput(_("This interpreter's work on the case has already ended."))
        locked.ended_at = timezone.now()
        locked.ended_by = actor
        locked.save(update_fields=["ended_at", "ended_by"])
        common.record(
            actor,
            "interpreting.ended",
            assignment.case,
            object_type="interpreter_assignment",
            object_id=str(locked.pk),
            request_id=request_id,
        )
    return locked


def _text(text: str) -> str:
    if not text.strip():
        raise InvalidInput(_("Write the translation."))
    if len(text) > MAX_TRANSLATION_CHARS:
        raise InvalidInput(_("The translation is too long."))
    return text


def translation_add(
    *,
    case: Case,
    source_kind: str,
    source_id: uuid.UUID,
    language: str,
    text: str,
    actor: User,
    request_id: str | None = None,
) -> Translation:
    """Add a translation of one original of ``case`` into ``language`` (encrypted)."""
    require_interpreting(actor, case)
    if source_kind not in Translation.Source.values:
        raise InvalidInput(_("Unknown kind of original."))
    if not queries.source_exists(case, source_kind, source_id):
        raise InvalidInput(_("There is no such original on this case."))
    code = _language(language)
    body = _text(text)
    with audit.atomic():
        locked = common.lock(case)
        if Translation.objects.filter(
            case=locked, source_kind=source_kind, source_id=source_id, language=code
        ).exists():
            raise InvalidInput(_("There is a translation into this language already: change it."))
        translation = Translation.objects.create(
            case=locked,
            source_kind=source_kind,
            source_id=source_id,
            language=code,
            text=body,
            translated_by=actor,
        )
        common.record(
            actor,
            "interpreting.translation_added",
            locked,
            object_type="translation",
            object_id=str(translation.pk),
            request_id=request_id,
        )
    return translation


def translation_edit(
    *, translation: Translation, text: str, actor: User, request_id: str | None = None
) -> Translation:
    """Change a translation (any active interpreter of the case may correct it)."""
    require_interpreting(actor, translation.case)
    body = _text(text)
    with audit.atomic():
        locked = Translation.objects.select_for_update().get(pk=translation.pk)
        locked.text = body
        locked.translated_by = actor
        locked.at = timezone.now()
        locked.save(update_fields=["text", "translated_by", "at"])
        common.record(
            actor,
            "interpreting.translation_changed",
            translation.case,
            object_type="translation",
            object_id=str(locked.pk),
            request_id=request_id,
        )
    return locked
