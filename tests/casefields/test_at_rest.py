"""Values of admin-defined fields are encrypted at rest: a marker typed into a text field, a
checklist note, and a choice whose label carries a marker are in no column of any table, but
the definition (configuration, plain by design) shows the search would have found them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from passage.accounts.models import User
from passage.casefields.models import FieldDefinition, FieldValue, Kind, Section
from passage.casefields.services.values import field_values_set
from passage.cases.models import Case
from tests.cases.helpers import all_rows, case_key_ids, raw_key_id
from tests.cases.test_opening import column_text, forms_of

pytestmark = pytest.mark.django_db

TEXT_MARK = "Qzfieldmark-text Жмаркполе"
NOTE_MARK = "Qzfieldmark-note"
CHOICE_MARK = "Qzfieldmark-choice"


def test_no_value_reaches_any_column_of_any_table(
    define: Callable[..., FieldDefinition], north_case: Case, caseworker: User
) -> None:
    text = define("Hormone therapy supply")
    choice = define("Programme", kind=Kind.CHOICE, choices=["Plain option", CHOICE_MARK])
    check = define("Safe phone handed over", kind=Kind.CHECK, section=Section.DEPARTURE)
    field_values_set(
        case=north_case,
        actor=caseworker,
        values={
            text.pk: TEXT_MARK,
            choice.pk: CHOICE_MARK,
            check.pk: {"done": True, "note": NOTE_MARK},
        },
    )
    needles = {mark: forms_of(mark) for mark in (TEXT_MARK, NOTE_MARK, CHOICE_MARK, "Жмаркполе")}
    leaks = []
    definitions_seen = b""
    for table in sorted(connection.introspection.table_names()):
        for row in all_rows(table):
            for value in row:
                found = column_text(value)
                if table == "casefields_fielddefinition":
                    definitions_seen += found
                    continue
                leaks += [
                    (table, mark)
                    for mark, forms in needles.items()
                    if any(f in found for f in forms)
                ]
    assert leaks == []
    # Positive control: the choice's label is configuration, plain, and the search finds it.
    assert CHOICE_MARK.encode() in definitions_seen
    # The values are there, under the case's key.
    row = FieldValue.objects.get(definition=choice)
    assert row.plain == CHOICE_MARK
    assert raw_key_id("casefields_fieldvalue", "value", row.pk) in case_key_ids(north_case)
