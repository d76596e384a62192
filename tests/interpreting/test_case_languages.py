"""Case languages from the whole of ISO 639 (``cases.choices``, ``cases.forms.languages``):
typed by English name, by the staff member's own name for it, or by code; stored codes stay
valid; the public pages keep their six languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from passage.accounts.models import Desk, User
from passage.cases import choices
from passage.cases.forms.case import PersonFields
from passage.cases.forms.languages import LanguageField, LanguagesField
from passage.cases.models import Case, Person
from passage.cases.services import people
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, submit, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ce", "ce"),
        ("che", "ce"),
        ("Chechen", "ce"),
        ("  chechen ", "ce"),
        ("kbd", "kbd"),
        ("Kabardian", "kbd"),
        ("inh", "inh"),
        ("Ingush", "inh"),
        ("Dari", "prs"),
        ("Kurdish, Central", "ckb"),
        ("ger", "de"),
        ("ava", "av"),
    ],
)
def test_any_iso_639_language_by_code_or_english_name(text: str, code: str) -> None:
    assert choices.language_code(text) == code


def test_names_in_the_staff_members_language() -> None:
    assert choices.language_code("чеченский", language="ru") == "ce"
    assert choices.language_label("ce", language="ru") == "Chechen (чеченский)"
    assert choices.language_label("ce", language="en") == "Chechen"
    assert choices.language_label("zz") == "zz"


def test_the_full_list_keeps_two_letter_codes_and_adds_three_letter_ones() -> None:
    codes = choices.language_codes()
    assert len(codes) > 7000
    assert {"ru", "ce", "ar", "fa", "kbd", "inh", "ady", "lez", "ckb", "prs"} <= codes
    assert "che" not in codes and "rus" not in codes  # a two-letter code wins
    assert choices.language_code("Klingonish") is None


def test_the_languages_field_reads_names_codes_and_lists() -> None:
    field = LanguagesField(required=False)
    assert field.clean("Chechen, kbd; Russian\nce") == ["ce", "kbd", "ru"]
    assert field.clean(["ru", "ce"]) == ["ru", "ce"]
    assert field.clean("") == []
    with pytest.raises(Exception, match="Chechn"):
        field.clean("Chechn, Russian")
    single = LanguageField(required=False)
    assert single.clean("Kabardian") == "kbd"
    with pytest.raises(Exception, match="one language"):
        single.clean("ce, ru")


def test_the_field_accepts_names_in_the_active_language() -> None:
    with translation.override("ru"):
        assert LanguagesField().clean("чеченский, русский") == ["ce", "ru"]


def test_a_stored_legacy_code_is_shown_and_saved_as_its_two_letter_code() -> None:
    form = PersonFields(initial={"languages": ["ava", "kbd"]})
    rendered = str(form["languages"])
    assert 'value="Avaric, Kabardian"' in rendered
    bound = PersonFields({"chosen_name": "x", "languages": "Avaric, Kabardian"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["languages"] == ["av", "kbd"]


def _new_case_form(desk: Desk, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "desk": str(desk.pk),
        "urgency": "immediate",
        "chosen_name": "Aslan Typed",
        "reply_language": "Chechen",
        "languages": "ce, Kabardian, ru",
        "household_size": "1",
        "channels-TOTAL_FORMS": "3",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "10",
    }
    for i in range(3):
        data |= {f"channels-{i}-kind": "", f"channels-{i}-value": "", f"channels-{i}-note": ""}
    data.update(overrides)
    return data


def test_opening_a_case_with_chechen_and_kabardian(
    signed_in: Signed, caseworker: User, desk_north: Desk
) -> None:
    client = signed_in(caseworker)
    response = submit(client, "/staff/cases/new/", _new_case_form(desk_north))
    assert response.status_code == 302, field_error(text_of(response), "languages")
    case = Case.objects.get()
    assert case.reply_language == "ce"
    principal = Person.objects.get(case=case, is_principal=True)
    assert people.details_of(principal).languages == ["ce", "kbd", "ru"]
    content = page(client, f"/staff/cases/{case.pk}/person/")
    assert "Chechen, Kabardian, Russian" in content


def test_an_unknown_language_is_a_clear_400_that_keeps_the_text(
    signed_in: Signed, caseworker: User, desk_north: Desk
) -> None:
    client = signed_in(caseworker)
    response = submit(
        client, "/staff/cases/new/", _new_case_form(desk_north, languages="Chechen, Elvish")
    )
    assert response.status_code == 400
    assert "Elvish" in field_error(text_of(response), "languages")
    assert 'value="Chechen, Elvish"' in text_of(response)
    assert not Case.objects.exists()


def test_the_public_pages_keep_their_six_languages() -> None:
    assert [code for code, _name in settings.LANGUAGES] == ["en", "ru", "ar", "fa", "fr", "es"]
