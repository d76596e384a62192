"""Admins define fields: add, change, move, retire, reinstate (services, audited)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.casefields.models import FieldDefinition, Kind, Section
from passage.casefields.services import definitions
from passage.cases.exceptions import InvalidInput, NotAllowed
from tests.cases.helpers import audit_entries

pytestmark = pytest.mark.django_db

Define = Callable[..., FieldDefinition]


def test_an_admin_adds_a_choice_field_at_the_end_of_its_section(
    define: Define, admin: User
) -> None:
    first = define("First")
    field = define(
        "  UNHCR   status ",
        kind=Kind.CHOICE,
        choices=["Mandate refugee", " ", "mandate REFUGEE", "Not registered"],
        required=True,
        help_text="As on the UNHCR letter.",
    )
    other_section = define("Elsewhere", section=Section.DEPARTURE)
    stored = FieldDefinition.objects.get(pk=field.pk)
    assert stored.label == "UNHCR status"
    assert stored.choices == ["Mandate refugee", "Not registered"]  # blank and repeat dropped
    assert (stored.required, stored.active, stored.kind) == (True, True, "choice")
    assert (first.order, stored.order, other_section.order) == (1, 2, 1)
    [entry] = audit_entries("casefield.created", field.pk)
    assert (entry.actor, entry.object_type) == (f"user:{admin.pk}", "field_definition")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"label": " "}, "label"),
        ({"label": "x" * 121}, "120"),
        ({"section": "nowhere"}, "section"),
        ({"kind": "colour"}, "kind"),
        ({"kind": Kind.CHOICE, "choices": ["only one"]}, "two"),
        ({"kind": Kind.CHOICE, "choices": ["a", "b" * 81]}, "80"),
        ({"help_text": "h" * 301}, "300"),
    ],
)
def test_bad_definitions_are_refused(
    define: Define, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        define(**{"label": "A field", **kwargs})
    assert not FieldDefinition.objects.exists()


def test_only_admins_define_fields(caseworker: User, desk_lead: User) -> None:
    for user in (caseworker, desk_lead):
        with pytest.raises(NotAllowed):
            definitions.definition_create(
                actor=user, section=Section.PERSON, kind=Kind.TEXT, label="Sneaky"
            )
    assert not FieldDefinition.objects.exists()


def test_a_checklist_item_is_never_required_and_has_no_choices(define: Define) -> None:
    item = define("Ticket bought", kind=Kind.CHECK, required=True, choices=["a", "b"])
    assert (item.required, item.choices) == (False, [])


def test_changing_keeps_section_and_kind_and_says_when_nothing_changed(
    define: Define, admin: User, desk_north: Desk
) -> None:
    field = define("Status", kind=Kind.CHOICE, choices=["a", "b"])
    changed = definitions.definition_change(
        definition=field,
        actor=admin,
        label="UNHCR status",
        choices=["a", "c"],
        required=True,
        desk=desk_north,
    )
    assert changed
    stored = FieldDefinition.objects.get(pk=field.pk)
    assert (stored.label, stored.choices, stored.required, stored.desk) == (
        "UNHCR status",
        ["a", "c"],
        True,
        desk_north,
    )
    assert (stored.section, stored.kind) == (Section.PERSON, Kind.CHOICE)
    assert not definitions.definition_change(
        definition=stored,
        actor=admin,
        label="UNHCR status",
        choices=["a", "c"],
        required=True,
        desk=desk_north,
    )
    assert len(audit_entries("casefield.changed", field.pk)) == 1


def test_moving_up_and_down_swaps_neighbours_and_stops_at_the_ends(
    define: Define, admin: User
) -> None:
    a, b, c = define("A"), define("B"), define("C")

    def order() -> list[str]:
        rows = FieldDefinition.objects.filter(section=Section.PERSON, active=True)
        return list(rows.order_by("order").values_list("label", flat=True))

    assert definitions.definition_move(definition=c, direction="up", actor=admin)
    assert order() == ["A", "C", "B"]
    assert definitions.definition_move(definition=a, direction="down", actor=admin)
    assert order() == ["C", "A", "B"]
    assert not definitions.definition_move(definition=b, direction="down", actor=admin)
    assert not definitions.definition_move(
        definition=FieldDefinition.objects.get(label="C"), direction="up", actor=admin
    )
    assert order() == ["C", "A", "B"]
    assert len(audit_entries("casefield.moved", c.pk)) == 1
    with pytest.raises(InvalidInput):
        definitions.definition_move(definition=a, direction="sideways", actor=admin)


def test_retiring_skips_the_field_in_moves_and_reinstating_puts_it_last(
    define: Define, admin: User
) -> None:
    a, b, c = define("A"), define("B"), define("C")
    assert definitions.definition_retire(definition=b, actor=admin)
    assert not definitions.definition_retire(definition=b, actor=admin)
    assert definitions.definition_move(definition=c, direction="up", actor=admin)
    with pytest.raises(InvalidInput):
        definitions.definition_move(definition=b, direction="up", actor=admin)
    assert definitions.definition_reinstate(definition=b, actor=admin)
    rows = FieldDefinition.objects.filter(active=True).order_by("order")
    assert [r.label for r in rows] == ["C", "A", "B"]
    assert len(audit_entries("casefield.retired", b.pk)) == 1
    assert len(audit_entries("casefield.reinstated", b.pk)) == 1
    assert FieldDefinition.objects.filter(pk=a.pk).exists()
