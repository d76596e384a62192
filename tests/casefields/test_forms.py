"""The section form built from the definitions: one field per kind, required, choices,
checklist items as a tick and a note, retired fields left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from passage.casefields.forms import DefinitionForm, SectionValuesForm, field_name
from passage.casefields.models import FieldDefinition, Kind
from passage.casefields.queries import Line

pytestmark = pytest.mark.django_db

Define = Callable[..., FieldDefinition]


def form_for(lines: list[Line], data: dict[str, str]) -> SectionValuesForm:
    return SectionValuesForm(data, lines=lines)


def lines_of(*definitions: FieldDefinition, value: object = None) -> list[Line]:
    return [Line(d, value, d.active) for d in definitions]


@pytest.mark.parametrize(
    ("kind", "given", "expected"),
    [
        (Kind.TEXT, "a supply need", "a supply need"),
        (Kind.NUMBER, "12.50", Decimal("12.5")),
        (Kind.DATE, "2027-01-31", "2027-01-31"),
        (Kind.YES_NO, "yes", "yes"),
        (Kind.CHOICE, "Not registered", "Not registered"),
    ],
)
def test_each_kind_parses_its_input(
    every_kind: dict[str, FieldDefinition], kind: str, given: str, expected: object
) -> None:
    definition = every_kind[kind]
    form = form_for(lines_of(definition), {field_name(definition): given})
    assert form.is_valid(), form.errors
    assert form.values() == {definition.pk: expected}


@pytest.mark.parametrize(
    ("kind", "given"),
    [
        (Kind.NUMBER, "twelve"),
        (Kind.DATE, "tomorrow"),
        (Kind.YES_NO, "perhaps"),
        (Kind.CHOICE, "A made-up answer"),
        (Kind.TEXT, "x" * 2001),
    ],
)
def test_each_kind_refuses_what_it_cannot_take(
    every_kind: dict[str, FieldDefinition], kind: str, given: str
) -> None:
    definition = every_kind[kind]
    form = form_for(lines_of(definition), {field_name(definition): given})
    assert not form.is_valid()
    assert field_name(definition) in form.errors


def test_required_fields_must_be_filled_and_optional_ones_may_stay_empty(
    define: Define,
) -> None:
    required = define("UNHCR number", required=True)
    optional = define("Nickname at the shelter")
    yes_no = define("Has a passport", kind=Kind.YES_NO, required=True)
    form = form_for(lines_of(required, optional, yes_no), {})
    assert not form.is_valid()
    assert set(form.errors) == {field_name(required), field_name(yes_no)}
    # A required yes/no offers no "not known".
    choices = [value for value, _ in form.fields[field_name(yes_no)].choices]  # type: ignore[attr-defined]
    assert choices == ["yes", "no"]
    filled = form_for(
        lines_of(required, optional, yes_no),
        {field_name(required): "A-1", field_name(yes_no): "no"},
    )
    assert filled.is_valid(), filled.errors
    assert filled.values()[optional.pk] == ""


def test_a_checklist_item_is_a_tick_and_a_note(every_kind: dict[str, FieldDefinition]) -> None:
    check = every_kind[Kind.CHECK]
    name = field_name(check)
    form = form_for(lines_of(check), {name: "on", f"{name}_note": "given on the 3rd"})
    assert form.is_valid(), form.errors
    assert form.values() == {check.pk: {"done": True, "note": "given on the 3rd"}}
    unticked = form_for(lines_of(check), {})
    assert unticked.is_valid()
    assert unticked.values() == {check.pk: {"done": False, "note": ""}}


def test_retired_fields_are_not_in_the_form_and_old_choices_stay_selectable(
    define: Define,
) -> None:
    retired = define("Old field")
    retired.active = False
    choice = define("Status", kind=Kind.CHOICE, choices=["New A", "New B"])
    lines = [Line(retired, "kept", False), Line(choice, "Old C", True)]
    form = form_for(lines, {field_name(choice): "Old C"})
    assert field_name(retired) not in form.fields
    assert form.is_valid(), form.errors
    assert form.values() == {choice.pk: "Old C"}
    assert form_for(lines, {field_name(choice): "Other"}).is_valid() is False


def test_initial_values_fill_the_form(every_kind: dict[str, FieldDefinition]) -> None:
    yes_no, date = every_kind[Kind.YES_NO], every_kind[Kind.DATE]
    check = every_kind[Kind.CHECK]
    form = SectionValuesForm(
        lines=[
            Line(yes_no, False, True),
            Line(date, dt.date(2027, 1, 2).isoformat(), True),
            Line(check, {"done": True, "note": "n"}, True),
        ]
    )
    assert form.initial[field_name(yes_no)] == "no"
    assert form.initial[field_name(date)] == "2027-01-02"
    assert form.initial[field_name(check)] is True
    assert form.initial[f"{field_name(check)}_note"] == "n"


def test_the_definition_form_takes_choices_for_a_choice_list_only() -> None:
    form = DefinitionForm({"section": "person", "kind": "text", "label": "A", "choices": "x\ny"})
    assert not form.is_valid()
    assert "choices" in form.errors
    ok = DefinitionForm(
        {"section": "person", "kind": "choice", "label": "A", "choices": "x\n\ny\n"}
    )
    assert ok.is_valid(), ok.errors
    assert [c for c in ok.choice_list() if c] == ["x", "y"]
