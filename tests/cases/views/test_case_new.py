"""Opening a case by hand /staff/cases/new/: on one's own desks, everything personal encrypted,
clear errors that keep what was typed."""

from __future__ import annotations

from typing import Any

import pytest

from passage.accounts.models import Desk, User
from passage.cases.models import Case, ContactChannel, Person
from passage.cases.services import people
from tests.cases.helpers import all_rows, raw_value
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, post, submit, text_of, token_in, top_errors

pytestmark = pytest.mark.django_db

NEW = "/staff/cases/new/"


def form(desk: Desk, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "desk": str(desk.pk),
        "urgency": "immediate",
        "chosen_name": "Ruslan Typed",
        "legal_name": "Ruslan Akhmedovich Typed",
        "country": "RU",
        "region": "Chechnya",
        "reply_language": "ru",
        "household_size": "2",
        "narrative": "They know where I live and are coming tomorrow.",
        "channels-TOTAL_FORMS": "3",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "10",
        "channels-0-kind": "signal",
        "channels-0-value": "+7 928 555-12-34",
        "channels-0-note": "never leave voice messages",
    }
    for i in (1, 2):
        data |= {f"channels-{i}-kind": "", f"channels-{i}-value": "", f"channels-{i}-note": ""}
    data.update(overrides)
    return data


def test_the_form_offers_only_ones_own_desks(
    signed_in: Signed, both_desks: User, caseworker: User, desk_north: Desk, desk_south: Desk
) -> None:
    assert desk_south.name not in page(signed_in(caseworker), NEW)
    content = page(signed_in(both_desks), NEW)
    assert desk_north.name in content and desk_south.name in content


def test_opening_a_case_through_the_form(
    signed_in: Signed, caseworker: User, desk_north: Desk
) -> None:
    client = signed_in(caseworker)
    response = submit(client, NEW, form(desk_north))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/staff/cases/{case.pk}/"
    assert (case.desk, case.urgency, case.country, case.region, case.household_size) == (
        desk_north,
        "immediate",
        "RU",
        "Chechnya",
        2,
    )
    assert case.triage_factors == {"immediate_danger": True}
    assert case.narrative == "They know where I live and are coming tomorrow."
    principal = Person.objects.get(case=case)
    details = people.details_of(principal)
    assert (details.chosen_name, details.legal_name) == ("Ruslan Typed", "Ruslan Akhmedovich Typed")
    [contact] = ContactChannel.objects.filter(person=principal)
    assert (contact.kind, contact.value) == ("signal", "+7 928 555-12-34")
    assert f"Case {case.reference} opened." in page(client, response["Location"])
    # Nothing personal reaches the database in plaintext.
    for table in ("cases_case", "cases_person", "cases_contactchannel"):
        dump = repr(all_rows(table))
        for secret in ("Ruslan", "555-12-34", "where I live", "voice messages"):
            assert secret not in dump, (table, secret)
    assert isinstance(raw_value("cases_case", "narrative", case.pk), bytes)


def test_missing_and_bad_fields_are_next_to_them_and_what_was_typed_stays(
    signed_in: Signed, caseworker: User, desk_north: Desk
) -> None:
    response = submit(
        signed_in(caseworker),
        NEW,
        form(
            desk_north,
            chosen_name="",
            birth_date="2999-01-01",
            household_size="0",
            **{"channels-1-value": "@no_kind"},
        ),
    )
    assert response.status_code == 400
    content = text_of(response)
    assert field_error(content, "chosen_name") == "Give a name we can use."
    assert field_error(content, "birth_date") == "The date of birth cannot be in the future."
    assert field_error(content, "household_size") == (
        "Ensure this value is greater than or equal to 1."
    )
    assert field_error(content, "channels-1-kind") == "Choose the channel."
    assert "Give a name we can use." in top_errors(content)
    for typed in (
        'value="Ruslan Akhmedovich Typed"',
        'value="+7 928 555-12-34"',
        'value="@no_kind"',
        'value="Chechnya"',
        "They know where I live and are coming tomorrow.</textarea>",
    ):
        assert typed in content
    assert not Case.objects.exists()


def test_a_desk_of_someone_else_cannot_be_forged(
    signed_in: Signed, caseworker: User, desk_south: Desk
) -> None:
    response = submit(signed_in(caseworker), NEW, form(desk_south))
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(text_of(response), "desk")
    assert not Case.objects.exists()


def test_an_unknown_channel_or_country_is_refused(
    signed_in: Signed, caseworker: User, desk_north: Desk
) -> None:
    client = signed_in(caseworker)
    response = submit(client, NEW, form(desk_north, **{"channels-0-kind": "pigeon"}))
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(text_of(response), "channels-0-kind")
    response = submit(client, NEW, form(desk_north, country="Narnia"))
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(text_of(response), "country")
    assert not Case.objects.exists()


def test_a_closed_desk_is_refused_with_a_message(
    signed_in: Signed, caseworker: User, desk_north: Desk
) -> None:
    client = signed_in(caseworker)
    token_page = page(client, NEW)
    Desk.objects.filter(pk=desk_north.pk).update(is_active=False)
    response = client.post(NEW, {"csrfmiddlewaretoken": token_in(token_page), **form(desk_north)})
    assert response.status_code == 400
    assert top_errors(text_of(response)) == ["This desk is closed; choose another one."]
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["partner_user", "auditor", "admin"])
def test_others_get_404(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, desk_north: Desk
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, NEW, status=404)
    assert post(client, NEW, form(desk_north)).status_code == 404
    assert not Case.objects.exists()
