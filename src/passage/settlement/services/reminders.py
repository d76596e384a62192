"""The periodic sweep over follow-ups: when one falls due, alert once.

Idempotent and safe to run twice at once: each alert is claimed by a conditional update of the
follow-up's ``alerted_at`` (only while it is still unset) before the alert is raised, in one
transaction, so a second run (or a concurrent one) finds it claimed. Changing the arrival date
clears ``alerted_at`` of the follow-ups it moves. The alert carries the case reference and a
detail code (which follow-up), never anything about the person.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.settlement.models import FollowUp

SYSTEM = "system"


def _alert(follow_up: FollowUp, now: dt.datetime) -> bool:
    with audit.atomic():
        claimed = FollowUp.objects.filter(
            pk=follow_up.pk,
            status=FollowUp.Status.PENDING,
            due_on=follow_up.due_on,
            alerted_at__isnull=True,
        ).update(alerted_at=now)
        if not claimed:
            return False
        case = follow_up.case
        unassigned = case.assignee is None
        alert_raise(
            code=kinds.SETTLEMENT_FOLLOW_UP_DUE,
            severity=Alert.Severity.INFO,
            # The assignee, or the settlement workers of the desk when nobody is assigned.
            target_user=case.assignee,
            target_role=Role.SETTLEMENT if unassigned else None,
            target_desk=case.desk if unassigned else None,
            case_reference=case.reference,
            details=(f"months_{follow_up.months}",),
            object_type="case",
            object_id=str(case.pk),
            actor=SYSTEM,
            now=now,
        )
        audit.record(
            actor=SYSTEM,
            action="settlement.follow_up_alerted",
            object_type="follow_up",
            object_id=str(follow_up.pk),
        )
    return True


def follow_up_sweep(*, now: dt.datetime | None = None) -> int:
    """Raise one info alert for each follow-up that is due (its day reached, still to do, not
    alerted for that day) on an open case. Returns how many alerts were raised."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    due = (
        FollowUp.objects.filter(
            status=FollowUp.Status.PENDING,
            due_on__lte=today,
            alerted_at__isnull=True,
            case__merged_into__isnull=True,
            case__closed_at__isnull=True,
        )
        .select_related("case", "case__desk", "case__assignee")
        .order_by("due_on", "pk")
    )
    return sum(_alert(follow_up, moment) for follow_up in list(due))
