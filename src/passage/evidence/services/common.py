"""What the evidence services share: desk membership, the lockdown switch, dropping a PDF."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.cases.exceptions import CaseNotFound, NotAllowed
from passage.crypto.exceptions import KeyNotFound
from passage.crypto.fields import StoredFile, delete_blobs
from passage.evidence.models import Bundle


class ExportsDisabled(NotAllowed):
    """Lockdown: nothing leaves Passage while it lasts."""


def on_desk(actor: User, desk_id: uuid.UUID) -> bool:
    return actor.memberships.filter(desk_id=desk_id).exists()


def require_desk(actor: User, desk: Desk | None, perm: Perm = Perm.EVIDENCE_WORK) -> None:
    """The actor is a member of ``desk`` (a bundle's) and holds ``perm``; else ``CaseNotFound``
    (the views answer 404: a bundle of another desk is not confirmed to exist)."""
    if desk is None or actor.partner_id is not None or not on_desk(actor, desk.pk):
        raise CaseNotFound(_("No such bundle."))
    if not actor.may(perm):
        raise NotAllowed(_("Your role does not allow this."))


def exports_disabled() -> bool:
    """Whether lockdown has stopped every export (``passage.accounts.lockdown``)."""
    from passage.accounts import lockdown  # the lockdown issue's switch

    return bool(lockdown.exports_disabled())


def refuse_if_locked_down() -> None:
    if exports_disabled():
        from passage.accounts import lockdown

        raise ExportsDisabled(str(lockdown.EXPORTS_DISABLED_MESSAGE))


def drop_pdf(bundle: Bundle) -> None:
    """Forget an approved bundle's PDF (the blob goes after commit); back to a draft."""
    try:
        stored = bundle.pdf
    except KeyNotFound:
        stored = None
    bundle.pdf = None
    bundle.manifest = None
    bundle.status = Bundle.Status.DRAFT
    bundle.approved_by = None
    bundle.approved_at = None
    bundle.save(update_fields=["pdf", "manifest", "status", "approved_by", "approved_at"])
    if isinstance(stored, StoredFile):
        blob = stored.blob_id
        transaction.on_commit(lambda: delete_blobs([blob]))
