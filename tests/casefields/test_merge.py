"""Merging two cases moves their field values to the survivor; where both have a value for
the same field, the survivor's stays (one value per field and case)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.casefields.models import FieldDefinition, FieldValue
from passage.casefields.services.values import field_values_set
from passage.cases.models import Case
from passage.cases.services import duplicates

pytestmark = pytest.mark.django_db


def test_merge_moves_values_and_keeps_the_survivors_on_a_clash(
    define: Callable[..., FieldDefinition], open_case: Callable[..., Case], caseworker: User
) -> None:
    both = define("UNHCR number")
    only_merged = define("Supply need")
    survivor, merged = open_case("Kept"), open_case("Gone")
    field_values_set(case=survivor, actor=caseworker, values={both.pk: "KEEP-1"})
    field_values_set(
        case=merged, actor=caseworker, values={both.pk: "GONE-2", only_merged.pk: "estradiol"}
    )
    duplicates.cases_merge(survivor=survivor, merged=merged, actor=caseworker)
    on_survivor = {row.definition_id: row.plain for row in FieldValue.objects.filter(case=survivor)}
    assert on_survivor == {both.pk: "KEEP-1", only_merged.pk: "estradiol"}
    # The merged case's clashing value stayed behind and was shredded with its key.
    [left] = FieldValue.objects.filter(case=merged)
    assert left.definition_id == both.pk
    assert left.__dict__["value"] is None
