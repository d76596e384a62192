"""Emergency lockdown: two admins start it, two admins lift it (docs/lockdown.md).

- ``lockdown_propose``: an admin (with a fresh second factor: the views require step-up)
  proposes a lockdown. It changes nothing yet, and lapses after ``CONFIRM_SECONDS``.
- ``lockdown_confirm``: a *different* admin confirms within ten minutes. In one transaction,
  with audit entries: every staff session ends (the emergency "end every session"), every
  active partner account is suspended (remembered in ``LockdownSuspension``), and from the
  commit on exports are refused and only admins may sign in (``passage.accounts.lockdown``).
  The public intake is untouched: it keeps accepting sealed requests.
- ``lockdown_lift_propose`` / ``lockdown_lift_confirm``: one admin proposes lifting, another
  confirms within ten minutes; partner accounts the lockdown suspended (and nobody changed
  since) are restored, exactly those.
- ``lockdown_withdraw``: an admin withdraws a proposal (to start or to lift) not yet confirmed.

Every function takes the acting admin and ``now`` (tests drive the clock with it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.exceptions import AccountError
from passage.accounts.models import Lockdown, LockdownSuspension, User
from passage.accounts.roles import Perm, Role
from passage.accounts.services import sessions as session_services
from passage.audit import services as audit

__all__ = [
    "CONFIRM_SECONDS",
    "LockdownRefused",
    "lockdown_confirm",
    "lockdown_lift_confirm",
    "lockdown_lift_propose",
    "lockdown_propose",
    "lockdown_withdraw",
    "pending_proposal",
    "proposal_lapsed",
]

CONFIRM_SECONDS = 10 * 60


class LockdownRefused(AccountError):
    """The step is not allowed now; the message is written for the admin and safe to show."""


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _require(actor: User) -> None:
    if not actor.is_active or not actor.may(Perm.LOCKDOWN_MANAGE):
        raise LockdownRefused(_("Only an admin may start or lift the emergency lockdown."))


def _actor(actor: User) -> str:
    return audit.actor_for("user", actor.pk)


def _record(actor: str, action: str, object_type: str, object_id: object) -> None:
    audit.record(actor=actor, action=action, object_type=object_type, object_id=str(object_id))


def proposal_lapsed(proposed_at: datetime | None, *, now: datetime | None = None) -> bool:
    """Whether a proposal made at ``proposed_at`` can no longer be confirmed."""
    if proposed_at is None:
        return True
    return _now(now) - proposed_at > timedelta(seconds=CONFIRM_SECONDS)


def pending_proposal(*, now: datetime | None = None) -> Lockdown | None:
    """The proposal to start a lockdown that may still be confirmed, if there is one."""
    cutoff = _now(now) - timedelta(seconds=CONFIRM_SECONDS)
    return (
        Lockdown.objects.filter(
            confirmed_at__isnull=True, cancelled_at__isnull=True, proposed_at__gte=cutoff
        )
        .order_by("-proposed_at")
        .first()
    )


def _active_locked() -> Lockdown | None:
    return (
        Lockdown.objects.select_for_update()
        .filter(confirmed_at__isnull=False, lifted_at__isnull=True)
        .order_by("-confirmed_at")
        .first()
    )


def lockdown_propose(*, actor: User, now: datetime | None = None) -> Lockdown:
    """Propose an emergency lockdown; a second admin must confirm it within ten minutes."""
    _require(actor)
    now = _now(now)
    with audit.atomic():
        if _active_locked() is not None:
            raise LockdownRefused(_("The emergency lockdown is in force already."))
        if pending_proposal(now=now) is not None:
            raise LockdownRefused(
                _("A lockdown is proposed already: a second admin confirms it on this page.")
            )
        lockdown = Lockdown.objects.create(proposed_by=actor, proposed_at=now)
        _record(_actor(actor), "lockdown.proposed", "lockdown", lockdown.pk)
    return lockdown


def _partners_to_suspend() -> list[User]:
    # Ids first: PostgreSQL refuses FOR UPDATE together with the DISTINCT the join needs.
    ids = set(
        User.objects.filter(Q(partner__isnull=False) | Q(role_grants__role=Role.PARTNER))
        .filter(is_active=True, suspended_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def lockdown_confirm(*, lockdown: Lockdown, actor: User, now: datetime | None = None) -> int:
    """Confirm a proposed lockdown (a second admin): it is in force from the commit.

    Ends every staff session (the confirming admin's too: admins sign in again to
    investigate), suspends every active partner account, and records each step. Returns how
    many sessions ended.
    """
    _require(actor)
    now = _now(now)
    with audit.atomic():
        row = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
        if row.confirmed_at is not None:
            raise LockdownRefused(_("This lockdown is confirmed already."))
        if row.cancelled_at is not None:
            raise LockdownRefused(_("This proposal was withdrawn."))
        if proposal_lapsed(row.proposed_at, now=now):
            raise LockdownRefused(
                _("The proposal lapsed after ten minutes without confirmation: propose again.")
            )
        if row.proposed_by_id == actor.pk:
            raise LockdownRefused(_("A second, different admin must confirm the lockdown."))
        if _active_locked() is not None:
            raise LockdownRefused(_("The emergency lockdown is in force already."))
        row.confirmed_by = actor
        row.confirmed_at = now
        row.save(update_fields=["confirmed_by", "confirmed_at"])
        actor_code = _actor(actor)
        _record(actor_code, "lockdown.started", "lockdown", row.pk)
        for user in _partners_to_suspend():
            user.suspended_at = now
            user.is_active = False
            user.save(update_fields=["suspended_at", "is_active"])
            LockdownSuspension.objects.create(lockdown=row, user=user, suspended_at=now)
            _record(actor_code, "account.suspended_by_lockdown", "user", user.pk)
        ended = session_services.sessions_end_everyone(actor=actor_code)
        _record(actor_code, "lockdown.exports_disabled", "lockdown", row.pk)
    lockdown.confirmed_at, lockdown.confirmed_by = row.confirmed_at, row.confirmed_by
    return ended


def lockdown_withdraw(*, lockdown: Lockdown, actor: User, now: datetime | None = None) -> None:
    """Withdraw a proposal not yet confirmed: to start a lockdown, or to lift it."""
    _require(actor)
    now = _now(now)
    with audit.atomic():
        row = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
        if row.confirmed_at is None and row.cancelled_at is None:
            row.cancelled_at = now
            row.save(update_fields=["cancelled_at"])
            _record(_actor(actor), "lockdown.proposal_withdrawn", "lockdown", row.pk)
        elif row.is_active and row.lift_proposed_at is not None:
            row.lift_proposed_at, row.lift_proposed_by = None, None
            row.save(update_fields=["lift_proposed_at", "lift_proposed_by"])
            _record(_actor(actor), "lockdown.lift_withdrawn", "lockdown", row.pk)
        else:
            raise LockdownRefused(_("There is no proposal to withdraw."))


def lockdown_lift_propose(
    *, lockdown: Lockdown, actor: User, now: datetime | None = None
) -> Lockdown:
    """Propose lifting the lockdown in force; a second admin confirms within ten minutes."""
    _require(actor)
    now = _now(now)
    with audit.atomic():
        row = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
        if not row.is_active:
            raise LockdownRefused(_("No emergency lockdown is in force."))
        if row.lift_proposed_at is not None and not proposal_lapsed(row.lift_proposed_at, now=now):
            raise LockdownRefused(
                _("Lifting is proposed already: a second admin confirms it on this page.")
            )
        row.lift_proposed_by = actor
        row.lift_proposed_at = now
        row.save(update_fields=["lift_proposed_by", "lift_proposed_at"])
        _record(_actor(actor), "lockdown.lift_proposed", "lockdown", row.pk)
    return row


def lockdown_lift_confirm(*, lockdown: Lockdown, actor: User, now: datetime | None = None) -> int:
    """Lift the lockdown (a second admin): partner accounts it suspended are restored.

    Only accounts still suspended by this lockdown (same suspension time) come back; one an
    admin suspended or reactivated by hand in the meantime is left as it is. Returns how many
    accounts were restored.
    """
    _require(actor)
    now = _now(now)
    with audit.atomic():
        row = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
        if not row.is_active:
            raise LockdownRefused(_("No emergency lockdown is in force."))
        if row.lift_proposed_at is None or proposal_lapsed(row.lift_proposed_at, now=now):
            raise LockdownRefused(
                _("Lifting was not proposed, or the proposal lapsed: propose it again.")
            )
        if row.lift_proposed_by_id == actor.pk:
            raise LockdownRefused(_("A second, different admin must confirm lifting it."))
        row.lifted_by = actor
        row.lifted_at = now
        row.save(update_fields=["lifted_by", "lifted_at"])
        actor_code = _actor(actor)
        restored = 0
        for suspension in (
            LockdownSuspension.objects.select_for_update()
            .filter(lockdown=row, restored_at__isnull=True)
            .select_related("user")
        ):
            user = User.objects.select_for_update().get(pk=suspension.user_id)
            if user.suspended_at == suspension.suspended_at:
                user.suspended_at = None
                user.is_active = user.has_usable_password()
                user.save(update_fields=["suspended_at", "is_active"])
                _record(actor_code, "account.restored_after_lockdown", "user", user.pk)
                restored += 1
            suspension.restored_at = now
            suspension.save(update_fields=["restored_at"])
        _record(actor_code, "lockdown.lifted", "lockdown", row.pk)
    lockdown.lifted_at, lockdown.lifted_by = row.lifted_at, row.lifted_by
    return restored
