"""Reading alerts: only those meant for the user.

An alert is for a user when every target it names matches: ``target_user`` is them,
``target_desk`` is one of their desks, ``target_role`` is a role they hold (desk lead: lead of
that desk, if the alert names a desk; of any desk otherwise). Anything else is invisible (404).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm, Role
from passage.alerts.models import Alert, Drill, OnCallShift, PushDelivery


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
    # Whoever an alert was pushed to (on call, a lead, an admin it escalated to) sees it too;
    # someone chosen but without a push address was not told, so sees no more than before.
    told = PushDelivery.objects.filter(user=user).exclude(channel=PushDelivery.Channel.NONE)
    pushed = Q(pk__in=told.values("alert_id"))
    return Alert.objects.filter((user_ok & desk_ok & role_ok) | pushed).select_related(
        "acknowledged_by", "resolved_by"
    )


def critical_first(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Unacknowledged critical alerts first (oldest of them first), then the rest, newest
    first."""
    pinned = Q(severity=Alert.Severity.CRITICAL, status=Alert.Status.NEW)
    return alerts.annotate(
        pinned_rank=Case(When(pinned, then=Value(0)), default=Value(1))
    ).order_by("pinned_rank", "-created_at")


PINNED_SHOWN = 5


@dataclass(frozen=True)
class Pinned:
    alerts: list[Alert]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.alerts)

    def __bool__(self) -> bool:
        return self.count > 0


def pinned_for(user: User) -> Pinned:
    """The critical alerts ``user`` must still acknowledge (shown atop every staff page)."""
    pending = alerts_for(user).filter(severity=Alert.Severity.CRITICAL, status=Alert.Status.NEW)
    shown = list(pending.order_by("created_at")[:PINNED_SHOWN])
    count = len(shown) if len(shown) < PINNED_SHOWN else pending.count()
    return Pinned(shown, count)


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


# --- the on-call rota, drills, push destinations and deliveries ------------------------------

ROTA_DAYS = 14


def managed_desks(user: User) -> list[Desk]:
    """The active desks whose rota ``user`` keeps."""
    if not user.may(Perm.ONCALL_MANAGE):
        return []
    desks = Desk.objects.filter(is_active=True)
    if Role.ADMIN not in user.roles:
        desks = desks.filter(memberships__user=user, memberships__is_lead=True)
    return list(desks.distinct().order_by("name"))


def rota_desks(user: User) -> list[Desk]:
    """The active desks whose rota ``user`` may see: their own desks (admins: all)."""
    if not user.may(Perm.ALERTS_VIEW):
        return []
    desks = Desk.objects.filter(is_active=True)
    if Role.ADMIN not in user.roles:
        desks = desks.filter(memberships__user=user)
    return list(desks.distinct().order_by("name"))


@dataclass(frozen=True)
class DeskRota:
    desk: Desk
    now: list[OnCallShift]  # on call at this moment
    coming: list[OnCallShift]  # starting in the next 14 days
    manage: bool  # whether the viewer keeps this rota


def desk_rotas(user: User, *, now: dt.datetime | None = None) -> list[DeskRota]:
    """Each visible desk's shifts on now and starting in the next ``ROTA_DAYS`` days."""
    moment = now or timezone.now()
    desks = rota_desks(user)
    managed = {d.pk for d in managed_desks(user)}
    shifts = OnCallShift.objects.filter(
        desk__in=desks, ends_at__gt=moment, starts_at__lt=moment + dt.timedelta(days=ROTA_DAYS)
    ).select_related("user")
    by_desk: dict[uuid.UUID, list[OnCallShift]] = {}
    for shift in shifts.order_by("starts_at", "user__username"):
        by_desk.setdefault(shift.desk_id, []).append(shift)
    return [
        DeskRota(
            desk=desk,
            now=[s for s in by_desk.get(desk.pk, []) if s.starts_at <= moment],
            coming=[s for s in by_desk.get(desk.pk, []) if s.starts_at > moment],
            manage=desk.pk in managed,
        )
        for desk in desks
    ]


def managed_desk(user: User, desk_id: uuid.UUID) -> Desk | None:
    """The desk if ``user`` keeps its rota, else None (the view answers 404)."""
    return next((d for d in managed_desks(user) if d.pk == desk_id), None)


def managed_shift(user: User, shift_id: uuid.UUID) -> OnCallShift | None:
    shift = OnCallShift.objects.filter(pk=shift_id).select_related("desk").first()
    if shift is None or managed_desk(user, shift.desk_id) is None:
        return None
    return shift


def drills_for(user: User) -> QuerySet[Drill]:
    """The drills of the desks whose rota ``user`` keeps, newest first."""
    desks = [d.pk for d in managed_desks(user)]
    return Drill.objects.filter(desk__in=desks).select_related(
        "desk", "alert", "alert__acknowledged_by", "started_by"
    )


def push_people() -> QuerySet[User]:
    """Staff who can get pushes (not partners' people), with their destination, by name."""
    return (
        User.objects.filter(partner__isnull=True)
        .select_related("push_destination")
        .order_by("username")
    )


def push_person(user_id: uuid.UUID) -> User | None:
    return push_people().filter(pk=user_id).first()


def deliveries() -> QuerySet[PushDelivery]:
    """Every push, newest first, with its alert and person (for admins)."""
    return PushDelivery.objects.select_related("alert", "user")
