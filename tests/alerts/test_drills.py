"""Drills: a desk lead or an admin sends a test critical alert through the real path (rota,
push, escalation); the time until acknowledgement is recorded and listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts.models import Desk, User
from passage.alerts import kinds, rota
from passage.alerts.models import Alert, Drill, PushDelivery
from passage.alerts.services import alert_acknowledge
from passage.alerts.tasks import push_sweep
from passage.audit.models import AuditEntry
from tests.alerts.helpers import T0, Webhook, clock, on_call, page_token, run_alert_tasks

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]
SignedIn = Callable[..., Client]


def test_a_drill_goes_through_the_rota_and_records_the_acknowledgement_time(
    hooked: Webhook,
    caseworker: User,
    desk_lead: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    on_call(caseworker, desk_north)
    with clock(T0), django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        drill = rota.drill_start(desk=desk_north, actor=desk_lead, now=T0)
    with clock(T0):
        run_alert_tasks()
    assert hooked.paths() == ["/caseworker"]
    assert hooked.received[0].body == b"1 new critical alert"  # the same text as a real one
    alert = drill.alert
    assert (alert.code, alert.severity, alert.target_desk) == (kinds.DRILL, "critical", desk_north)
    assert alert.object_id == str(drill.pk)
    assert drill.acknowledgement_time is None

    alert_acknowledge(alert=alert, actor=caseworker, now=T0 + dt.timedelta(minutes=4, seconds=5))
    drill.refresh_from_db()
    drill.alert.refresh_from_db()
    assert drill.acknowledgement_time == dt.timedelta(minutes=4, seconds=5)
    assert AuditEntry.objects.filter(action="alert.drill_started", object_id=str(drill.pk))


def test_an_unacknowledged_drill_escalates_like_a_real_alert(
    hooked: Webhook, desk_lead: User, desk_north: Desk
) -> None:
    drill = rota.drill_start(desk=desk_north, actor=desk_lead, now=T0)
    with clock(T0 + dt.timedelta(minutes=15)):
        push_sweep(now=T0 + dt.timedelta(minutes=15))
    steps = PushDelivery.objects.filter(alert=drill.alert).values_list("step", "user__username")
    assert sorted(steps) == [(0, "lead"), (1, "lead")]  # nobody on call: the lead, twice


def test_only_the_desk_lead_or_an_admin_may_start_a_drill(
    caseworker: User, colleague: User, desk_lead: User, admin: User, desk_north: Desk
) -> None:
    for refused in (caseworker, colleague):
        with pytest.raises(rota.RotaRefused):
            rota.drill_start(desk=desk_north, actor=refused)
    rota.drill_start(desk=desk_north, actor=admin)
    assert Drill.objects.count() == 1


def test_the_drills_page_starts_one_and_lists_the_time_taken(
    signed_in: SignedIn, desk_lead: User, caseworker: User, desk_north: Desk, desk_south: Desk
) -> None:
    client = signed_in(desk_lead)
    page = client.get("/staff/alerts/drills/").content.decode()
    assert "No drills yet" in page
    assert desk_north.name in page and desk_south.name not in page  # only the desk they lead

    token = page_token(client, "/staff/alerts/drills/")
    response = client.post(
        "/staff/alerts/drills/start/", {"csrfmiddlewaretoken": token, "desk": desk_north.pk}
    )
    assert response.status_code == 302
    drill = Drill.objects.get()
    created = drill.alert.created_at
    alert_acknowledge(alert=drill.alert, actor=caseworker, now=created + dt.timedelta(seconds=150))
    page = client.get("/staff/alerts/drills/").content.decode()
    assert "2\xa0minutes (150 s)" in page
    assert "caseworker" in page

    # A desk they do not lead: refused with a message, no drill.
    response = client.post(
        "/staff/alerts/drills/start/", {"csrfmiddlewaretoken": token, "desk": desk_south.pk}
    )
    assert response.status_code == 400
    assert Drill.objects.count() == 1
    assert Alert.objects.filter(code=kinds.DRILL).count() == 1
