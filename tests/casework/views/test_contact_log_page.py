"""/staff/cases/<case>/contacts/: the contact log and its quick form, with personas."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.models import Contact
from passage.casework.services.contacts import contact_log
from tests.accounts.admin_support import post
from tests.cases.helpers import fresh
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, reads, submit, text_of

pytestmark = pytest.mark.django_db

SUMMARY = "Pasted from Signal: they are at their aunt's and need a ticket."


def url(case: Case) -> str:
    return reverse("casework:contacts", args=[case.pk])


def test_a_caseworker_on_the_desk_logs_a_signal_contact_in_one_post(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    form = page(client, url(north_case))
    assert "data-autosave" in form
    assert '<option value="signal" selected>' in form
    assert re.search(r'<input type="radio" name="direction" value="incoming"[^>]* checked>', form)
    response = submit(
        client,
        url(north_case),
        {"channel": "signal", "direction": "incoming", "summary": SUMMARY, "next_contact": "3"},
    )
    assert response.status_code == 302 and response["Location"] == url(north_case)
    contact = Contact.objects.get()
    assert (contact.summary, contact.staff) == (SUMMARY, caseworker)
    case = fresh(north_case)
    expected = timezone.localdate() + dt.timedelta(days=3)
    assert case.next_contact_due is not None
    assert timezone.localtime(case.next_contact_due).date() == expected
    assert case.last_contact_at == contact.happened_at
    shown = page(client, url(north_case))
    assert SUMMARY.replace("'", "&#x27;") in shown
    assert reads(north_case, "contacts")


def test_the_next_contact_can_be_a_day_and_errors_keep_what_was_typed(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = submit(
        client,
        url(north_case),
        {"channel": "phone", "direction": "outgoing", "summary": SUMMARY, "next_contact": "on"},
    )
    assert response.status_code == 400
    content = text_of(response)
    assert field_error(content, "next_contact_on") == "Give the day of the next contact."
    assert "need a ticket" in content
    assert not Contact.objects.exists()
    day = timezone.localdate() + dt.timedelta(days=10)
    response = submit(
        client,
        url(north_case),
        {
            "channel": "phone",
            "direction": "outgoing",
            "summary": SUMMARY,
            "next_contact": "on",
            "next_contact_on": day.isoformat(),
        },
    )
    assert response.status_code == 302
    due = fresh(north_case).next_contact_due
    assert due is not None and timezone.localtime(due).date() == day


def test_an_empty_summary_is_refused_with_a_message(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = submit(client, url(north_case), {"channel": "signal", "direction": "incoming"})
    assert response.status_code == 400
    assert "Write what was said" in field_error(text_of(response), "summary")


def test_the_form_offers_the_channel_used_last(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    contact_log(
        case=north_case, actor=caseworker, channel="whatsapp", direction="incoming", summary="hi"
    )
    form = page(signed_in(caseworker), url(north_case))
    assert '<option value="whatsapp" selected>' in form


def test_a_colleague_of_another_desk_gets_404(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    client = signed_in(colleague)
    page(client, url(north_case), status=404)
    assert post(client, url(north_case), {"summary": SUMMARY}).status_code == 404
    assert not Contact.objects.exists()


def test_a_break_glass_reader_sees_the_log_without_the_form_and_cannot_post(
    signed_in: Signed, break_glass: User, caseworker: User, north_case: Case
) -> None:
    contact_log(
        case=north_case, actor=caseworker, channel="signal", direction="incoming", summary=SUMMARY
    )
    client = signed_in(break_glass)
    content = page(client, url(north_case))
    assert "need a ticket" in content
    assert "Log a contact" not in content
    response = post(
        client, url(north_case), {"channel": "signal", "direction": "in", "summary": "x"}
    )
    assert response.status_code == 404
    assert Contact.objects.count() == 1


def test_partners_and_outsiders_are_refused(
    signed_in: Signed, partner_user: User, outsider: object, north_case: Case
) -> None:
    page(signed_in(partner_user), url(north_case), status=404)
    response = outsider.get(url(north_case))  # type: ignore[attr-defined]
    assert response.status_code == 302 and "/staff/" in response["Location"]
