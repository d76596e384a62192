"""The Safety tab and its forms, as staff use them (CSRF-enforcing clients, real services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.intake.services import checkins as mailbox_checkins
from passage.safety.models import CheckIn, CheckinSchedule, DuressEvent
from passage.safety.services import checkins
from tests.cases.views.support import token_in
from tests.personas import make_staff, sign_in_as
from tests.safety.conftest import DURESS_WORD, Person, hour, started

pytestmark = pytest.mark.django_db


def url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(f"safety:{name}", kwargs={"case_id": case.pk, **kwargs})


def test_the_tab_explains_an_empty_schedule(person: Person, caseworker: User) -> None:
    page = sign_in_as(caseworker).get(url("case", person.case))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Check-ins are not on for this case" in text
    assert f'href="/staff/cases/{person.case.pk}/safety/"' in text  # the tab itself
    assert "Record contact under duress" in text


def test_schedule_words_and_a_logged_checkin_through_the_forms(
    person: Person, caseworker: User
) -> None:
    client = sign_in_as(caseworker)
    form = client.get(url("schedule", person.case)).content.decode()
    response = client.post(
        url("schedule", person.case),
        {"csrfmiddlewaretoken": token_in(form), "active": "on", "override_hours": "36"},
    )
    assert response.status_code == 302
    assert CheckinSchedule.objects.get(case=person.case).override_hours == 36

    form = client.get(url("words", person.case)).content.decode()
    response = client.post(
        url("words", person.case),
        {"csrfmiddlewaretoken": token_in(form), "checkin_word": "linden", "duress_word": "maple"},
    )
    assert response.status_code == 302
    tab = client.get(url("case", person.case)).content.decode()
    assert "Agreed on a call" in tab and "linden" not in tab and "maple" not in tab

    form = client.get(url("checkin-log", person.case)).content.decode()
    response = client.post(
        url("checkin-log", person.case),
        {"csrfmiddlewaretoken": token_in(form), "channel": "whatsapp", "note": "All fine."},
    )
    assert response.status_code == 302
    assert CheckIn.objects.get(case=person.case).channel == "whatsapp"
    tab = client.get(url("case", person.case)).content.decode()
    assert "All fine." in tab and "36 hours" in tab
    assert AuditEntry.objects.filter(action="case.section_viewed.safety").exists()


def test_bad_input_is_a_400_with_the_message(person: Person, caseworker: User) -> None:
    client = sign_in_as(caseworker)
    form = client.get(url("words", person.case)).content.decode()
    response = client.post(
        url("words", person.case),
        {"csrfmiddlewaretoken": token_in(form), "checkin_word": "same", "duress_word": "SAME"},
    )
    assert response.status_code == 400
    assert "Choose two different words." in response.content.decode()
    response = client.post(
        url("schedule", person.case),
        {"csrfmiddlewaretoken": token_in(form), "active": "on", "override_hours": "0"},
    )
    assert response.status_code == 400


def test_deciding_a_duress_signal_from_the_tab(person: Person, caseworker: User) -> None:
    started(person, caseworker, hour() - dt.timedelta(hours=1))
    mailbox_checkins.checkin_submit(session=person.session, word=DURESS_WORD)
    checkins.checkins_open()
    event = DuressEvent.objects.get(case=person.case)
    client = sign_in_as(caseworker)
    tab = client.get(url("case", person.case)).content.decode()
    assert "Duress signal:" in tab
    # The case header names the right reason for the freeze on every tab.
    summary = client.get(reverse("cases:case", args=[person.case.pk])).content.decode()
    assert "a duress signal came in for this case" in summary
    assert "suspects this request is hostile" not in summary
    decide = url("duress-decide", person.case, duress_id=event.pk)
    form = client.get(decide).content.decode()
    response = client.post(
        decide,
        {
            "csrfmiddlewaretoken": token_in(form),
            "decision": "dismiss",
            "reason": "Called them back on Signal: they typed the wrong word.",
        },
    )
    assert response.status_code == 302
    assert not person.fresh().is_frozen


def test_others_are_refused(person: Person, colleague: User, partner_user: User) -> None:
    for user in (colleague, partner_user):
        client = sign_in_as(user)
        assert client.get(url("case", person.case)).status_code == 404
        assert client.get(url("checkin-log", person.case)).status_code == 404


def test_a_finance_officer_reads_but_cannot_log(person: Person, desk_north: object) -> None:
    finance = make_staff("finance", Role.FINANCE, desks=(desk_north,))  # type: ignore[arg-type]
    client = sign_in_as(finance)
    assert client.get(url("case", person.case)).status_code == 200
    assert client.get(url("checkin-log", person.case)).status_code == 404


def test_the_safety_area_lists_worked_cases_signals_first(
    make_person: object, caseworker: User, colleague: User
) -> None:
    quiet, signalled = make_person(), make_person()  # type: ignore[operator]
    started(quiet, caseworker, hour())
    started(signalled, caseworker, hour() + dt.timedelta(hours=1))
    mailbox_checkins.checkin_submit(session=signalled.session, word=DURESS_WORD)
    checkins.checkins_open()
    page = sign_in_as(caseworker).get(reverse("safety:overview")).content.decode()
    assert page.index(signalled.case.reference) < page.index(quiet.case.reference)
    assert "Duress signal" in page
    assert 'href="/staff/safety/"' in page  # the left navigation's Safety area
    other = sign_in_as(colleague).get(reverse("safety:overview")).content.decode()
    assert quiet.case.reference not in other and "None of the cases you work" in other
