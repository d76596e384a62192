"""Critical alerts pushed outside the app: to the desk's person on call only, content-free, by
a real webhook (a local HTTP server) or e-mail (Django's locmem backend); never for other
alerts; failures recorded, logged without addresses, and retried by the sweep."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.alerts import kinds, push, queries, rota
from passage.alerts.models import Alert, PushDelivery
from passage.alerts.services import alert_raise
from passage.alerts.tasks import push_sweep
from tests.alerts.helpers import T0, Webhook, clock, on_call, run_alert_tasks

pytestmark = pytest.mark.django_db

REFERENCE = "PSG-2026-000042"
Capture = Callable[..., object]


def raise_critical(desk: Desk, capture: Capture, *, severity: str = "critical") -> Alert:
    with capture(execute=True):  # type: ignore[operator]
        return alert_raise(
            code=kinds.SUSPECTED_HOSTILE,
            severity=severity,
            target_role="desk_lead",
            target_desk=desk,
            case_reference=REFERENCE,
            object_type="case",
            object_id="b5c0e3a4-0000-4000-8000-000000000001",
            actor="system",
            now=T0,
        )


def test_the_push_goes_to_the_person_on_call_only_and_says_nothing_else(
    hooked: Webhook,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    on_call(caseworker, desk_north)
    with clock(T0):
        alert = raise_critical(desk_north, django_capture_on_commit_callbacks)
        assert run_alert_tasks() == 1  # the delivery; the escalations are not due yet

    assert hooked.paths() == ["/caseworker"]
    received = hooked.received[0]
    assert received.body == b"1 new critical alert"
    assert received.headers["content-type"] == "text/plain; charset=utf-8"
    assert received.headers["user-agent"] == "push"
    assert set(received.headers) <= {
        "host",
        "content-type",
        "content-length",
        "user-agent",
        "accept-encoding",
        "connection",
    }
    everything = repr(received).lower()
    for secret in (REFERENCE.lower(), "hostile", kinds.SUSPECTED_HOSTILE, "north", str(alert.pk)):
        assert secret not in everything

    [delivery] = PushDelivery.objects.all()
    assert (delivery.user, delivery.status, delivery.told_as) == (caseworker, "sent", "on_call")
    assert delivery.sent_at == T0


def test_an_email_push_is_content_free_too(
    admin: User,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    rota.destination_set(user=caseworker, webhook_url="", email="cw@staff.example", actor=admin)
    on_call(caseworker, desk_north)
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
        run_alert_tasks()
    [message] = mail.outbox
    assert message.to == ["cw@staff.example"]
    assert message.subject == "1 new critical alert"
    assert message.body == "1 new critical alert"
    assert message.cc == [] and message.bcc == [] and message.extra_headers == {}
    assert message.attachments == []
    assert REFERENCE not in str(message.message())


def test_non_critical_alerts_are_never_pushed(
    hooked: Webhook,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    on_call(caseworker, desk_north)
    with clock(T0):
        for severity in ("info", "warning"):
            raise_critical(desk_north, django_capture_on_commit_callbacks, severity=severity)
        assert run_alert_tasks() == 0
    assert not PushDelivery.objects.exists()
    assert not DBTaskResult.objects.exists()
    with clock(T0 + dt.timedelta(hours=1)):
        assert push_sweep(now=T0 + dt.timedelta(hours=1)) == 0
    assert hooked.received == []


def test_with_nobody_on_call_the_desk_lead_then_the_admins_are_told(
    hooked: Webhook,
    admin: User,
    caseworker: User,
    desk_lead: User,
    desk_north: Desk,
    desk_south: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    on_call(caseworker, desk_north, start=T0 + dt.timedelta(days=2))  # a later shift
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
        raise_critical(desk_south, django_capture_on_commit_callbacks)  # South has no lead
        run_alert_tasks()
    assert sorted(hooked.paths()) == ["/admin", "/lead"]
    told = {(d.alert.target_desk, d.user, d.told_as) for d in PushDelivery.objects.all()}
    assert told == {(desk_north, desk_lead, "desk_lead"), (desk_south, admin, "admin")}


def test_whoever_is_pushed_can_see_and_acknowledge_the_alert(
    hooked: Webhook,
    admin: User,
    desk_south: Desk,
    signed_in: Callable[..., Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with clock(T0):
        alert = raise_critical(desk_south, django_capture_on_commit_callbacks)
    assert list(queries.alerts_for(admin)) == [alert]  # not of the admin's desks, but told


def test_an_unreachable_person_on_call_is_recorded_and_the_lead_is_told(
    webhook: Webhook,
    admin: User,
    caseworker: User,
    desk_lead: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    rota.destination_set(user=desk_lead, webhook_url=webhook.url("/lead"), email="", actor=admin)
    on_call(caseworker, desk_north)  # with no push address
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
        run_alert_tasks()
    assert webhook.paths() == ["/lead"]
    statuses = dict(PushDelivery.objects.values_list("user__username", "status"))
    assert statuses == {"caseworker": "no_destination", "lead": "sent"}
    # Chosen but not told: they see no more than before (the alert is for the desk's lead).
    alert = Alert.objects.get()
    assert alert not in queries.alerts_for(caseworker)
    assert alert in queries.alerts_for(desk_lead)


def test_a_failed_push_is_recorded_logged_without_the_address_and_retried(
    hooked: Webhook,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
    caplog: pytest.LogCaptureFixture,
) -> None:
    on_call(caseworker, desk_north)
    hooked.status = 503
    caplog.set_level(logging.INFO, logger="passage.alerts")
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
        run_alert_tasks()
    delivery = PushDelivery.objects.get()
    assert delivery.status == PushDelivery.Status.FAILED
    assert delivery.attempts == 1
    assert delivery.last_error == "passage.alerts.push.WebhookRefused"
    assert delivery.next_attempt_at == T0 + dt.timedelta(minutes=1)
    logged = caplog.text
    assert "WebhookRefused" in logged
    port = str(hooked.server.server_address[1])
    assert port not in logged and "127.0.0.1" not in logged and "/caseworker" not in logged

    # Not before its time; then the sweep retries and it goes through.
    hooked.status = 200
    assert push.retry_due(now=T0 + dt.timedelta(seconds=30)) == 0
    with clock(T0 + dt.timedelta(minutes=1)):
        assert push_sweep(now=T0 + dt.timedelta(minutes=1)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(hooked.received) == 2
    # Sent once: a later sweep sends nothing more.
    assert push.retry_due(now=T0 + dt.timedelta(hours=1)) == 0


def test_an_unreachable_webhook_gives_up_after_the_last_attempt(
    admin: User,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with_nobody_listening = "http://127.0.0.1:9/push"  # the discard port: refused
    rota.destination_set(user=caseworker, webhook_url=with_nobody_listening, email="", actor=admin)
    on_call(caseworker, desk_north)
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
        run_alert_tasks()
    moment = T0
    for _ in range(push.MAX_ATTEMPTS + 2):
        moment += dt.timedelta(hours=1)
        push.retry_due(now=moment)
    delivery = PushDelivery.objects.get()
    assert delivery.status == PushDelivery.Status.GAVE_UP
    assert delivery.attempts == push.MAX_ATTEMPTS
    assert delivery.last_error == "urllib.error.URLError"
    assert delivery.next_attempt_at is None


def test_e_mail_without_a_server_is_a_recorded_failure(
    settings: Settings,
    admin: User,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    rota.destination_set(user=caseworker, webhook_url="", email="cw@staff.example", actor=admin)
    on_call(caseworker, desk_north)
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
        run_alert_tasks()
    delivery = PushDelivery.objects.get()
    assert delivery.status == PushDelivery.Status.FAILED
    assert delivery.last_error == "passage.alerts.push.EmailNotConfigured"
    assert mail.outbox == []


def test_a_push_the_task_never_sent_is_sent_by_the_sweep(
    hooked: Webhook,
    caseworker: User,
    desk_north: Desk,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    on_call(caseworker, desk_north)
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()  # the queue lost it (worker's database gone, say)
    assert push.retry_due(now=T0 + dt.timedelta(minutes=1)) == 0  # the task may still run
    assert push.retry_due(now=T0 + push.SWEEP_PICKUP) == 1
    assert hooked.paths() == ["/caseworker"]
    assert not push.deliver(PushDelivery.objects.get().pk, now=T0 + dt.timedelta(hours=1))


def test_someone_on_several_levels_is_planned_once(
    caseworker: User, desk_north: Desk, django_capture_on_commit_callbacks: Capture
) -> None:
    # On call, lead and admin at once, with no address: each level tries them; one row.
    Membership.objects.filter(user=caseworker, desk=desk_north).update(is_lead=True)
    RoleGrant.objects.create(user=caseworker, role="admin")
    on_call(caseworker, desk_north)
    with clock(T0):
        raise_critical(desk_north, django_capture_on_commit_callbacks)
    rows = list(PushDelivery.objects.values_list("user__username", "told_as", "status"))
    assert rows == [("caseworker", "on_call", "no_destination")]
