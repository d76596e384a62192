"""The "More details" tab (a recorded view) and editing one section's values."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.casefields.forms import field_name
from passage.casefields.models import FieldDefinition, FieldValue, Kind, Section
from passage.casefields.services import definitions
from passage.casefields.services.values import field_values_set
from passage.cases.models import Case
from tests.cases.views.support import page, reads, submit, text_of, top_errors
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db

Define = Callable[..., FieldDefinition]


def details(case: Case) -> str:
    return reverse("casefields:case-details", args=[case.pk])


def edit(case: Case, section: str = Section.PERSON) -> str:
    return reverse("casefields:section-edit", args=[case.pk, section])


def test_the_tab_shows_values_and_records_the_view(
    every_kind: dict[str, FieldDefinition], north_case: Case, caseworker: User
) -> None:
    field_values_set(
        case=north_case,
        actor=caseworker,
        values={
            every_kind[Kind.CHOICE].pk: "Not registered",
            every_kind[Kind.CHECK].pk: {"done": True, "note": "left with the shelter"},
        },
    )
    client = sign_in_as(caseworker)
    html = page(client, details(north_case))
    assert "Not registered" in html and "left with the shelter" in html
    assert "Departure readiness" in html and "Safe phone handed over" in html
    assert "not recorded" in html  # the other fields, in use and empty
    assert 'aria-current="page">More details' in html
    assert reads(north_case, "details") == ["case.section_viewed.details"]
    assert (
        edit(north_case) in html and reverse("casefields:case-export", args=[north_case.pk]) in html
    )


def test_others_get_404_and_readers_cannot_edit(
    define: Define,
    north_case: Case,
    colleague: User,
    admin: User,
    verifier: User,
) -> None:
    define("Anything")
    for user in (colleague, admin):
        assert sign_in_as(user).get(details(north_case)).status_code == 404
        assert sign_in_as(user).get(edit(north_case)).status_code == 404
    assert reads(north_case) == []
    # A verifier works the case: they may read and change it too.
    assert sign_in_as(verifier).get(edit(north_case)).status_code == 200


def test_saving_a_section_stores_the_values(
    every_kind: dict[str, FieldDefinition], north_case: Case, caseworker: User
) -> None:
    client = sign_in_as(caseworker)
    choice, text = every_kind[Kind.CHOICE], every_kind[Kind.TEXT]
    form = page(client, edit(north_case))
    assert "Passport valid until" not in form  # another section
    response = submit(
        client,
        edit(north_case),
        {field_name(choice): "UNHCR mandate refugee", field_name(text): "3 months of gel"},
    )
    assert response.status_code == 302 and response["Location"] == details(north_case)
    values = {v.definition_id: v.plain for v in FieldValue.objects.filter(case=north_case)}
    assert values == {choice.pk: "UNHCR mandate refugee", text.pk: "3 months of gel"}


def test_the_departure_checklist_is_ticked_with_a_note(
    every_kind: dict[str, FieldDefinition], north_case: Case, caseworker: User
) -> None:
    check, yes_no = every_kind[Kind.CHECK], every_kind[Kind.YES_NO]
    client = sign_in_as(caseworker)
    response = submit(
        client,
        edit(north_case, Section.DEPARTURE),
        {
            field_name(check): "on",
            f"{field_name(check)}_note": "given on Monday",
            field_name(yes_no): "yes",
        },
    )
    assert response.status_code == 302
    assert FieldValue.objects.get(definition=check).plain == {
        "done": True,
        "note": "given on Monday",
    }
    assert FieldValue.objects.get(definition=yes_no).plain is True


def test_invalid_values_are_refused_with_a_400_and_kept(
    define: Define, north_case: Case, caseworker: User
) -> None:
    required = define("UNHCR number", required=True)
    number = define("Months", kind=Kind.NUMBER)
    client = sign_in_as(caseworker)
    response = submit(client, edit(north_case), {field_name(number): "many"})
    assert response.status_code == 400
    html = text_of(response)
    assert "This field is required." in top_errors(html) and 'value="many"' in html
    assert not FieldValue.objects.exists()
    assert required.pk


def test_retired_fields_show_their_value_and_leave_the_form(
    define: Define, admin: User, north_case: Case, caseworker: User
) -> None:
    old, current = define("Old grant number"), define("New grant number")
    field_values_set(case=north_case, actor=caseworker, values={old.pk: "G-17"})
    definitions.definition_retire(definition=old, actor=admin)
    client = sign_in_as(caseworker)
    html = page(client, details(north_case))
    assert "G-17" in html and "retired" in html
    form = page(client, edit(north_case))
    assert field_name(old) not in form and field_name(current) in form


def test_a_section_with_nothing_in_use_has_no_form(
    define: Define, admin: User, north_case: Case, caseworker: User
) -> None:
    client = sign_in_as(caseworker)
    assert client.get(edit(north_case)).status_code == 404
    assert client.get(edit(north_case, "nowhere")).status_code == 404
    assert "No extra field" in page(client, details(north_case))
    field = define("Retired at once")
    definitions.definition_retire(definition=field, actor=admin)
    assert client.get(edit(north_case)).status_code == 404
