"""Emergency key destruction with two admins (docs/lockdown.md).

``destruction_propose`` (an admin, step-up in the view) changes nothing yet; a second,
different admin's ``destruction_confirm`` within ten minutes records ``keys.destroyed`` and,
when that commits, destroys on this server the master key(s), the blind-index root(s), the
codename pepper and every intake private key (``passage.crypto.keyfiles.destroy_key_files``),
writing the destruction marker first. Every keyring notices the marker within five seconds and
refuses to load keys; ``passage serve`` stops every process (exit 3) so no key stays in memory,
and refuses to start again until the keys are recovered (``passage keys recover``).

Starting and lifting the lockdown are ``passage.accounts.services.lockdown``; proposing one goes
through ``lockdown_propose`` here, which also raises a critical alert to the admins (pushed
outside the app), since a second admin must act within ten minutes. Proposing a key
destruction raises one too.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.exceptions import AccountError
from passage.accounts.models import Lockdown, User
from passage.accounts.roles import Perm, Role
from passage.accounts.services import lockdown as account_lockdown
from passage.accounts.services.lockdown import CONFIRM_SECONDS, proposal_lapsed
from passage.alerts import kinds
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.crypto import datakeys
from passage.crypto.keyfiles import destroy_key_files
from passage.crypto.keyring import keyring, keys_destroyed
from passage.lockdown.models import KeyDestruction

__all__ = [
    "DestructionRefused",
    "destroy_now",
    "destruction_confirm",
    "destruction_propose",
    "destruction_withdraw",
    "lockdown_propose",
    "pending_destruction",
]

logger = logging.getLogger(__name__)


class DestructionRefused(AccountError):
    """The step is not allowed now; the message is written for the admin and safe to show."""


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _require(actor: User) -> None:
    if not actor.is_active or not actor.may(Perm.KEYS_DESTROY):
        raise DestructionRefused(_("Only an admin may destroy this server's keys."))


def _actor(actor: User) -> str:
    return audit.actor_for("user", actor.pk)


def lockdown_propose(*, actor: User, now: datetime | None = None) -> Lockdown:
    """Propose a lockdown (``accounts.services.lockdown``) and tell every admin at once."""
    with audit.atomic():
        lockdown = account_lockdown.lockdown_propose(actor=actor, now=now)
        alert_raise(
            code=kinds.LOCKDOWN_PROPOSED,
            target_role=Role.ADMIN,
            object_type="lockdown",
            object_id=str(lockdown.pk),
            actor=actor,
            now=now,
        )
    return lockdown


def pending_destruction(*, now: datetime | None = None) -> KeyDestruction | None:
    """The proposal to destroy the keys that may still be confirmed, if there is one."""
    cutoff = _now(now) - timedelta(seconds=CONFIRM_SECONDS)
    return (
        KeyDestruction.objects.filter(
            confirmed_at__isnull=True, cancelled_at__isnull=True, proposed_at__gte=cutoff
        )
        .order_by("-proposed_at")
        .first()
    )


def destruction_propose(*, actor: User, now: datetime | None = None) -> KeyDestruction:
    """Propose destroying this server's keys; a second admin confirms within ten minutes."""
    _require(actor)
    now = _now(now)
    with audit.atomic():
        if keys_destroyed():
            raise DestructionRefused(_("This server's keys are destroyed already."))
        if pending_destruction(now=now) is not None:
            raise DestructionRefused(
                _("Destroying the keys is proposed already: a second admin confirms it here.")
            )
        proposal = KeyDestruction.objects.create(proposed_by=actor, proposed_at=now)
        audit.record(
            actor=_actor(actor),
            action="keys.destruction_proposed",
            object_type="key_destruction",
            object_id=str(proposal.pk),
        )
        alert_raise(
            code=kinds.KEY_DESTRUCTION_PROPOSED,
            target_role=Role.ADMIN,
            object_type="key_destruction",
            object_id=str(proposal.pk),
            actor=actor,
            now=now,
        )
    return proposal


def destruction_withdraw(
    *, proposal: KeyDestruction, actor: User, now: datetime | None = None
) -> None:
    """Withdraw a proposal that is not confirmed yet."""
    _require(actor)
    with audit.atomic():
        row = KeyDestruction.objects.select_for_update().get(pk=proposal.pk)
        if row.confirmed_at is not None or row.cancelled_at is not None:
            raise DestructionRefused(_("There is no proposal to withdraw."))
        row.cancelled_at = _now(now)
        row.save(update_fields=["cancelled_at"])
        audit.record(
            actor=_actor(actor),
            action="keys.destruction_withdrawn",
            object_type="key_destruction",
            object_id=str(row.pk),
        )


def destroy_now(*, note: str) -> int:
    """Destroy the key files of this server now and forget every key this process holds.

    Called when ``destruction_confirm`` commits (and by tests); returns how many files went.
    """
    keys = settings.PASSAGE_KEYS
    count = destroy_key_files(
        master=keys["master"],
        blind_index=keys["blind_index"],
        codename_pepper=keys["codename_pepper"],
        intake_dir=keys["intake_dir"],
        note=note,
    )
    keyring.reload()
    datakeys.cache.clear()
    logger.warning("Keys destroyed on this server: %d key files removed.", count)
    return count


def destruction_confirm(
    *, proposal: KeyDestruction, actor: User, now: datetime | None = None
) -> None:
    """Confirm (a second admin): the keys are destroyed when the audit entry commits."""
    _require(actor)
    now = _now(now)
    with audit.atomic():
        row = KeyDestruction.objects.select_for_update().get(pk=proposal.pk)
        if row.confirmed_at is not None:
            raise DestructionRefused(_("This destruction is confirmed already."))
        if row.cancelled_at is not None:
            raise DestructionRefused(_("This proposal was withdrawn."))
        if proposal_lapsed(row.proposed_at, now=now):
            raise DestructionRefused(
                _("The proposal lapsed after ten minutes without confirmation: propose again.")
            )
        if row.proposed_by_id == actor.pk:
            raise DestructionRefused(_("A second, different admin must confirm the destruction."))
        if keys_destroyed():
            raise DestructionRefused(_("This server's keys are destroyed already."))
        row.confirmed_by = actor
        row.confirmed_at = now
        row.save(update_fields=["confirmed_by", "confirmed_at"])
        audit.record(
            actor=_actor(actor),
            action="keys.destroyed",
            object_type="key_destruction",
            object_id=str(row.pk),
        )
        note = f"destroyed {now.isoformat()} by proposal {row.pk}"
        pk = row.pk

        def destroy() -> None:
            count = destroy_now(note=note)
            # Housekeeping after the fact (the audit entry above is the record of it).
            KeyDestruction.objects.filter(pk=pk).update(files_destroyed=count)

        transaction.on_commit(destroy)
    proposal.confirmed_at, proposal.confirmed_by = row.confirmed_at, row.confirmed_by
