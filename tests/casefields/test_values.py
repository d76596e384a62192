"""Values on a case: checked by kind, required, only fields in use, encrypted, audited by id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from passage.accounts.models import Desk, User
from passage.audit.models import AuditEntry
from passage.casefields.models import FieldDefinition, FieldValue, Kind
from passage.casefields.services import definitions
from passage.casefields.services.values import PAD_TO, field_values_set
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from tests.cases.helpers import audit_entries, raw_value

pytestmark = pytest.mark.django_db

Define = Callable[..., FieldDefinition]


def stored(case: Case, definition: FieldDefinition) -> object:
    row = FieldValue.objects.filter(case=case, definition=definition).first()
    return row.plain if row else None


def test_each_kind_is_stored_as_its_value(
    every_kind: dict[str, FieldDefinition], north_case: Case, caseworker: User
) -> None:
    values = {
        Kind.TEXT: "  Estradiol, 3 months  ",
        Kind.NUMBER: Decimal("2.50"),
        Kind.DATE: dt.date(2027, 5, 1),
        Kind.YES_NO: "no",
        Kind.CHOICE: "Registered, waiting",
        Kind.CHECK: {"done": True, "note": "given in person"},
    }
    changed = field_values_set(
        case=north_case,
        actor=caseworker,
        values={every_kind[k].pk: v for k, v in values.items()},
    )
    assert set(changed) == {d.pk for d in every_kind.values()}
    assert stored(north_case, every_kind[Kind.TEXT]) == "Estradiol, 3 months"
    assert stored(north_case, every_kind[Kind.NUMBER]) == 2.5
    assert stored(north_case, every_kind[Kind.DATE]) == "2027-05-01"
    assert stored(north_case, every_kind[Kind.YES_NO]) is False
    assert stored(north_case, every_kind[Kind.CHOICE]) == "Registered, waiting"
    assert stored(north_case, every_kind[Kind.CHECK]) == {"done": True, "note": "given in person"}
    assert stored(north_case, every_kind[Kind.NUMBER]) == 2.5
    # Saving the same again changes nothing and writes no entry.
    before = AuditEntry.objects.count()
    assert (
        field_values_set(
            case=north_case, actor=caseworker, values={every_kind[Kind.NUMBER].pk: "2.5"}
        )
        == []
    )
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        (Kind.NUMBER, "twelve", "number"),
        (Kind.NUMBER, True, "number"),
        (Kind.NUMBER, "1e13", "number"),
        (Kind.NUMBER, "NaN", "number"),
        (Kind.DATE, "31/12/2026", "date"),
        (Kind.DATE, dt.date(1850, 1, 1), "date"),
        (Kind.YES_NO, "maybe", "yes or no"),
        (Kind.CHOICE, "Something else", "offered"),
        (Kind.TEXT, "x" * 2001, "2000"),
        (Kind.CHECK, "done", "ticked"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused(
    every_kind: dict[str, FieldDefinition],
    north_case: Case,
    caseworker: User,
    kind: str,
    raw: object,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        field_values_set(case=north_case, actor=caseworker, values={every_kind[kind].pk: raw})
    assert not FieldValue.objects.exists()


def test_a_required_field_cannot_be_left_empty_or_cleared(
    define: Define, north_case: Case, caseworker: User
) -> None:
    field = define("UNHCR number", required=True)
    with pytest.raises(InvalidInput, match="required"):
        field_values_set(case=north_case, actor=caseworker, values={field.pk: "   "})
    field_values_set(case=north_case, actor=caseworker, values={field.pk: "123-45C"})
    with pytest.raises(InvalidInput, match="required"):
        field_values_set(case=north_case, actor=caseworker, values={field.pk: ""})
    assert stored(north_case, field) == "123-45C"


def test_clearing_removes_the_value_and_audits_ids_only(
    define: Define, north_case: Case, caseworker: User
) -> None:
    field = define("Supply need")
    secret = "testosterone gel, 2 months left"
    field_values_set(
        case=north_case, actor=caseworker, values={str(field.pk): secret}, request_id="req-1"
    )
    [set_entry] = audit_entries("case.field_set", field.pk)
    assert (set_entry.object_type, set_entry.request_id) == ("field_definition", "req-1")
    [case_entry] = audit_entries("case.fields_changed", north_case.pk)
    assert case_entry.request_id == "req-1"
    field_values_set(case=north_case, actor=caseworker, values={field.pk: ""})
    assert not FieldValue.objects.exists()
    assert len(audit_entries("case.field_cleared", field.pk)) == 1
    text = "\n".join(
        f"{e.actor}|{e.action}|{e.object_type}|{e.object_id}" for e in AuditEntry.objects.all()
    )
    assert "testosterone" not in text and "Supply" not in text


def test_retired_fields_keep_their_value_but_cannot_be_changed(
    define: Define, admin: User, north_case: Case, caseworker: User
) -> None:
    field = define("Old grant number")
    field_values_set(case=north_case, actor=caseworker, values={field.pk: "G-17"})
    definitions.definition_retire(definition=field, actor=admin)
    with pytest.raises(InvalidInput, match="no longer in use"):
        field_values_set(case=north_case, actor=caseworker, values={field.pk: "G-18"})
    # The same value again (a form sent back unchanged) is not a change.
    assert field_values_set(case=north_case, actor=caseworker, values={field.pk: "G-17"}) == []
    assert stored(north_case, field) == "G-17"


def test_a_desk_field_is_only_for_that_desks_cases(
    define: Define,
    desk_south: Desk,
    north_case: Case,
    south_case: Case,
    caseworker: User,
    colleague: User,
) -> None:
    field = define("Turkey transit number", desk=desk_south)
    with pytest.raises(InvalidInput, match="no longer in use"):
        field_values_set(case=north_case, actor=caseworker, values={field.pk: "T-1"})
    field_values_set(case=south_case, actor=colleague, values={field.pk: "T-1"})
    assert stored(south_case, field) == "T-1"


def test_only_those_who_work_the_case_set_values(
    define: Define,
    north_case: Case,
    caseworker: User,
    colleague: User,
    admin: User,
    auditor: User,
) -> None:
    field = define("Anything")
    with pytest.raises(CaseNotFound):
        field_values_set(case=north_case, actor=colleague, values={field.pk: "x"})
    for user in (admin, auditor):
        with pytest.raises((CaseNotFound, NotAllowed)):
            field_values_set(case=north_case, actor=user, values={field.pk: "x"})
    with pytest.raises(InvalidInput, match="Unknown"):
        field_values_set(case=north_case, actor=caseworker, values={"not-an-id": "x"})
    assert not FieldValue.objects.exists()


def test_yes_and_no_are_encrypted_to_the_same_length(
    every_kind: dict[str, FieldDefinition], open_case: Callable[..., Case], caseworker: User
) -> None:
    yes_no = every_kind[Kind.YES_NO]
    choice = every_kind[Kind.CHOICE]
    lengths = set()
    for answer, pick in (("yes", "Not registered"), ("no", "UNHCR mandate refugee")):
        case = open_case()
        field_values_set(case=case, actor=caseworker, values={yes_no.pk: answer, choice.pk: pick})
        for definition in (yes_no, choice):
            row = FieldValue.objects.get(case=case, definition=definition)
            lengths.add(len(raw_value("casefields_fieldvalue", "value", row.pk)))
    assert len(lengths) == 1
    # Ciphertext = header + padded JSON + tag: the JSON is a multiple of PAD_TO bytes.
    assert PAD_TO == 64
