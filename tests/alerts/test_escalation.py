"""Escalation of unacknowledged critical alerts: the desk lead after 15 minutes, an admin after
30; not before, not twice, not after acknowledgement; by the queued task at the step's time and
by the periodic sweep (``now=``) when the task was missed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings

from passage.accounts.models import Desk, User
from passage.alerts import kinds, push
from passage.alerts.models import Alert, PushDelivery
from passage.alerts.services import alert_acknowledge, alert_raise
from passage.alerts.tasks import push_sweep
from passage.audit.models import AuditEntry
from tests.alerts.helpers import T0, Webhook, clock, on_call, run_alert_tasks

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def alert(
    hooked: Webhook,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> Alert:
    on_call(caseworker, desk_north)
    with clock(T0), django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        raised = alert_raise(
            code=kinds.SUSPECTED_HOSTILE,
            target_role="desk_lead",
            target_desk=desk_north,
            case_reference="PSG-2026-000042",
            actor="system",
            now=T0,
        )
    assert raised.severity == "critical"  # the kind's default
    return raised


def told(step: int) -> list[str]:
    rows = PushDelivery.objects.filter(step=step).order_by("user__username")
    return [f"{row.user.username}:{row.told_as}:{row.status}" for row in rows]


def sweep(moment: dt.datetime) -> int:
    with clock(moment):
        return push_sweep(now=moment)


def test_the_sweep_escalates_to_the_lead_at_15_and_an_admin_at_30_minutes_once(
    alert: Alert, hooked: Webhook
) -> None:
    assert told(0) == ["caseworker:on_call:pending"]
    assert sweep(T0 + 14 * MINUTE) == 1  # only the first push, picked up by the sweep
    assert told(1) == []

    assert sweep(T0 + 15 * MINUTE) == 1  # the escalation (its push sent at once)
    assert told(1) == ["lead:desk_lead:sent"]
    assert sweep(T0 + 16 * MINUTE) == 0  # not twice
    assert sweep(T0 + 29 * MINUTE) == 0
    assert told(2) == []

    assert sweep(T0 + 30 * MINUTE) == 1
    assert told(2) == ["admin:admin:sent"]
    assert sweep(T0 + 3 * 60 * MINUTE) == 0
    assert hooked.paths() == ["/caseworker", "/lead", "/admin"]
    assert all(r.body == b"1 new critical alert" for r in hooked.received)
    alert.refresh_from_db()
    assert alert.escalation_step == 2
    actions = AuditEntry.objects.filter(object_id=str(alert.pk)).values_list("action", flat=True)
    assert list(actions).count("alert.escalated") == 2


def test_no_escalation_after_acknowledgement(alert: Alert, caseworker: User) -> None:
    alert_acknowledge(alert=alert, actor=caseworker, now=T0 + 10 * MINUTE)
    assert sweep(T0 + 15 * MINUTE) == 1  # the first push only
    assert sweep(T0 + 60 * MINUTE) == 0
    assert told(1) == [] and told(2) == []


def test_acknowledged_between_the_steps_stops_the_second(alert: Alert, desk_lead: User) -> None:
    sweep(T0 + 15 * MINUTE)
    alert_acknowledge(alert=alert, actor=desk_lead, now=T0 + 20 * MINUTE)
    assert sweep(T0 + 31 * MINUTE) == 0
    assert told(2) == []


def test_the_queued_tasks_escalate_at_their_time(alert: Alert, hooked: Webhook) -> None:
    with clock(T0 + 14 * MINUTE):
        assert run_alert_tasks() == 1  # the delivery only: the escalations wait
    with clock(T0 + 15 * MINUTE):
        assert run_alert_tasks() == 1  # the first escalation task (it sends its pushes)
    assert told(1) == ["lead:desk_lead:sent"]
    with clock(T0 + 30 * MINUTE):
        run_alert_tasks()
    assert told(2) == ["admin:admin:sent"]
    # The sweep after them finds nothing left to do.
    assert sweep(T0 + 31 * MINUTE) == 0
    assert hooked.paths() == ["/caseworker", "/lead", "/admin"]


def test_a_late_sweep_takes_both_steps_once_each(alert: Alert) -> None:
    assert sweep(T0 + 45 * MINUTE) == 2 + 1  # both steps, and the first push picked up
    assert told(1) == ["lead:desk_lead:sent"] and told(2) == ["admin:admin:sent"]
    assert sweep(T0 + 46 * MINUTE) == 0


def test_non_critical_alerts_never_escalate(hooked: Webhook, desk_north: Desk) -> None:
    alert_raise(
        code=kinds.SUSPECTED_HOSTILE,
        severity="warning",
        target_desk=desk_north,
        actor="system",
        now=T0,
    )
    assert push.escalate(now=T0 + 60 * MINUTE) == 0
    assert not PushDelivery.objects.exists()


def test_the_sweep_is_a_periodic_job() -> None:
    assert "passage.alerts.tasks.push_sweep" in settings.PASSAGE_PERIODIC_JOBS
    assert kinds.KINDS[kinds.DRILL].policy.escalation == kinds.STANDARD_ESCALATION
    assert [s.after for s in kinds.STANDARD_ESCALATION] == [15 * MINUTE, 30 * MINUTE]
