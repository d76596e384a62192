"""Reading alerts: only those meant for the user.

An alert is for a user when every target it names matches: ``target_user`` is them,
``target_desk`` is one of their desks, ``target_role`` is a role they hold (desk lead: lead of
that desk, if the alert names a desk; of any desk otherwise). Anything else is invisible (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from passage.accounts.models import User
from passage.accounts.roles import Perm, Role
from passage.alerts.models import Alert


def alerts_for(user: User) -> QuerySet[Alert]:
    """The alerts ``user`` may see and act on, newest first."""
    if not user.is_authenticated or not user.may(Perm.ALERTS_VIEW):
        return Alert.objects.none()
    desk_ids = list(user.memberships.values_list("desk_id", flat=True))
    lead_desk_ids = list(user.memberships.filter(is_lead=True).values_list("desk_id", flat=True))
    roles = [role.value for role in user.roles]

    user_ok = Q(target_user__isnull=True) | Q(target_user=user)
    desk_ok = Q(target_desk__isnull=True) | Q(target_desk__in=desk_ids)
    role_ok = Q(target_role="") | Q(target_role__in=[r for r in roles if r != Role.DESK_LEAD])
    if Role.DESK_LEAD in user.roles:
        role_ok |= Q(target_role=Role.DESK_LEAD, target_desk__isnull=True)
        role_ok |= Q(target_role=Role.DESK_LEAD, target_desk__in=lead_desk_ids)
    return Alert.objects.filter(user_ok & desk_ok & role_ok).select_related(
        "acknowledged_by", "resolved_by"
    )


def alerts_with_status(user: User, status: str) -> QuerySet[Alert]:
    return alerts_for(user).filter(status=status)


def new_alert_count(user: User) -> int:
    return alerts_for(user).filter(status=Alert.Status.NEW).count()


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    subject: str  # the username of the staff member the alert is about, or ""


def alert_rows(alerts: Iterable[Alert]) -> list[AlertRow]:
    """Alerts with the username of the staff member each is about (unusual reading), if any."""
    alerts = list(alerts)
    ids = set()
    for alert in alerts:
        if alert.object_type == "user":
            try:
                ids.add(uuid.UUID(alert.object_id))
            except ValueError:
                continue
    names = {
        str(pk): name for pk, name in User.objects.filter(pk__in=ids).values_list("pk", "username")
    }
    return [
        AlertRow(alert, names.get(alert.object_id, "") if alert.object_type == "user" else "")
        for alert in alerts
    ]
