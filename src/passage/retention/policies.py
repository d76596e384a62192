"""How long each kind of record is kept: read by the job, changed by admins (audited)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.retention.exceptions import InvalidInput, NotAllowed
from passage.retention.models import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS, Outcome, RetentionPolicy


def days_for(outcome: Outcome | str) -> int:
    """The retention window of ``outcome`` in days (the admin's choice, else the default)."""
    chosen = RetentionPolicy.objects.filter(outcome=outcome).values_list("days", flat=True).first()
    return int(chosen) if chosen is not None else DEFAULT_DAYS[Outcome(outcome)]


def all_days() -> dict[str, int]:
    """Every outcome's window in days, in the order of ``Outcome``."""
    chosen = dict(RetentionPolicy.objects.values_list("outcome", "days"))
    return {o.value: int(chosen.get(o.value, DEFAULT_DAYS[o])) for o in Outcome}


def shortest_days() -> int:
    """The shortest window: backups must not be kept longer (docs/deploy.md)."""
    return min(all_days().values())


def cutoff(outcome: Outcome | str, now: dt.datetime) -> dt.datetime:
    """Records of ``outcome`` decided (or closed, or received) before this are due."""
    return now - dt.timedelta(days=days_for(outcome))


def policy_set(*, actor: User, outcome: str, days: int, now: dt.datetime | None = None) -> int:
    """Set the retention window of one outcome (admins; the view asks for step-up).

    Returns the new number of days. Audited as ``retention.policy_changed``."""
    if not actor.may(Perm.RETENTION_MANAGE):
        raise NotAllowed(_("Only an admin may change retention policies."))
    try:
        kind = Outcome(outcome)
    except ValueError:
        raise InvalidInput(_("Unknown retention policy.")) from None
    if not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(
            _("Keep records between %(min)d and %(max)d days.") % {"min": MIN_DAYS, "max": MAX_DAYS}
        )
    with audit.atomic():
        RetentionPolicy.objects.update_or_create(
            outcome=kind.value,
            defaults={"days": days, "updated_at": now or timezone.now(), "updated_by": actor},
        )
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="retention.policy_changed",
            object_type="retention.policy",
            object_id=kind.value,
        )
    return days
