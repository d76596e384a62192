"""The periodic job ``documents.tasks.expiry_reminders`` (``services.reminders.expiry_sweep``):
one alert per threshold (60, 30, 7 days) per document, to the assignee or the desk's
caseworkers; idempotent; documents past their date marked expired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.cases.services.assignment import case_assign
from passage.documents import tasks
from passage.documents.models import PersonDocument
from passage.documents.services.reminders import expiry_sweep, threshold_for
from tests.documents.conftest import NUMBER, Add

pytestmark = pytest.mark.django_db

EXPIRES = dt.date(2027, 6, 30)


def days_before(days: int) -> dt.date:
    return EXPIRES - dt.timedelta(days=days)


def reminders() -> list[tuple[str, str]]:
    return list(
        Alert.objects.filter(code=kinds.DOCUMENT_EXPIRING)
        .order_by("created_at")
        .values_list("case_reference", "details")
    )


def test_each_threshold_alerts_once_even_when_the_job_runs_twice(
    add_document: Add, north_case: Case
) -> None:
    document = add_document(north_case, expires_on=EXPIRES)
    assert expiry_sweep(today=days_before(61)) == 0
    for days in (60, 30, 7):
        assert expiry_sweep(today=days_before(days)) == 1
        assert expiry_sweep(today=days_before(days)) == 0  # run twice: nothing more
        assert expiry_sweep(today=days_before(days - 1)) == 0  # the next day: nothing more
    ref = north_case.reference
    assert reminders() == [(ref, "in_60_days"), (ref, "in_30_days"), (ref, "in_7_days")]
    assert expiry_sweep(today=EXPIRES) == 0
    assert PersonDocument.objects.get().status == "have"
    assert (
        AuditEntry.objects.filter(
            action="document.expiry_reminded", object_id=str(document.pk)
        ).count()
        == 3
    )


def test_a_document_first_seen_late_gets_only_the_nearest_reminder(
    add_document: Add, north_case: Case
) -> None:
    add_document(north_case, expires_on=EXPIRES)
    assert expiry_sweep(today=days_before(20)) == 1
    assert expiry_sweep(today=days_before(20)) == 0
    assert reminders() == [(north_case.reference, "in_30_days")]
    assert threshold_for(61) is None and threshold_for(8) == 30 and threshold_for(0) == 7


def test_the_alert_goes_to_the_desk_caseworkers_or_the_assignee(
    add_document: Add,
    caseworker: User,
    caseworker2: User,
    colleague: User,
    north_case: Case,
) -> None:
    add_document(north_case, expires_on=EXPIRES)
    expiry_sweep(today=days_before(60))
    desk_alert = Alert.objects.get()
    assert (desk_alert.target_role, desk_alert.target_desk_id, desk_alert.target_user) == (
        "caseworker",
        north_case.desk_id,
        None,
    )
    assert desk_alert in alerts_for(caseworker2) and desk_alert not in alerts_for(colleague)
    case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    expiry_sweep(today=days_before(30))
    mine = Alert.objects.exclude(pk=desk_alert.pk).get()
    assert (mine.target_user, mine.target_role, mine.target_desk) == (caseworker, "", None)
    assert mine in alerts_for(caseworker) and mine not in alerts_for(caseworker2)


def test_alerts_say_nothing_about_the_document(add_document: Add, north_case: Case) -> None:
    add_document(north_case, expires_on=EXPIRES, issuing_country="RU")
    expiry_sweep(today=days_before(7))
    alert = Alert.objects.get()
    stored = " ".join(str(value) for value in alert.__dict__.values())
    assert NUMBER not in stored and "passport" not in stored and "RU" not in stored.split()
    shown = kinds.render_message(alert.code, case_reference=alert.case_reference)
    assert north_case.reference in shown and "expires soon" in shown
    assert kinds.detail_labels(alert.code, [alert.details]) == [
        "document expires in 7 days or less"
    ]


def test_documents_past_their_date_are_marked_expired_once(
    add_document: Add, north_case: Case
) -> None:
    held = add_document(north_case, expires_on=EXPIRES)
    waiting = add_document(north_case, status="applied", expires_on=days_before(100))
    assert expiry_sweep(today=EXPIRES + dt.timedelta(days=1)) == 1
    assert expiry_sweep(today=EXPIRES + dt.timedelta(days=1)) == 0
    assert PersonDocument.objects.get(pk=held.pk).status == "expired"
    assert PersonDocument.objects.get(pk=waiting.pk).status == "applied"
    assert AuditEntry.objects.filter(action="document.expired").count() == 1
    assert not reminders()  # an expired document is not reminded of


def test_documents_without_a_date_or_not_in_hand_are_left_alone(
    add_document: Add, north_case: Case
) -> None:
    add_document(north_case)
    add_document(north_case, status="missing", expires_on=EXPIRES)
    add_document(north_case, status="applied", expires_on=EXPIRES)
    assert expiry_sweep(today=days_before(7)) == 0
    assert not reminders()


def test_the_periodic_job_is_registered_and_runs_today(add_document: Add, north_case: Case) -> None:
    assert "passage.documents.tasks.expiry_reminders" in settings.PASSAGE_PERIODIC_JOBS
    add_document(north_case, expires_on=timezone.localdate() + dt.timedelta(days=5))
    assert tasks.expiry_reminders() == 1
    assert tasks.expiry_reminders() == 0
    assert reminders() == [(north_case.reference, "in_7_days")]
