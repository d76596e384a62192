"""Invariant 1 for settlement: the city, the free-text helper, notes and wellbeing notes are
in no table of the database (every row of every table is read raw); the plain columns beside
them are (positive controls), and the encrypted columns hold ciphertext."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from passage.accounts.models import User
from passage.cases.models import Case
from passage.settlement.models import FollowUp, Need
from passage.settlement.services import plans
from tests.cases.helpers import all_rows, raw_value
from tests.settlement.conftest import CITY, HELPER, WELLBEING, MakePlan

pytestmark = pytest.mark.django_db

NOTE = "Mrk-Need-Note-clinic-on-King-Street-3309"


def every_value() -> bytes:
    found = []
    for table in connection.introspection.table_names():
        for row in all_rows(table):
            found.extend(
                value if isinstance(value, bytes) else str(value).encode() for value in row
            )
    return b"\x00".join(found)


def test_city_helper_notes_and_wellbeing_are_not_stored_in_plaintext(
    arrived_case: Case, make_plan: MakePlan, settler: User
) -> None:
    plan = make_plan(arrived_case)
    need = Need.objects.get(plan=plan, area="sponsor")
    plans.need_change(
        need=need, actor=settler, status="met", helper_text=HELPER, notes=NOTE + "-need"
    )
    follow_up = FollowUp.objects.get(plan=plan, months=1)
    plans.follow_up_record(
        follow_up=follow_up,
        actor=settler,
        status="done",
        wellbeing=WELLBEING,
        today=dt.date(2027, 3, 1),
    )
    step = plan.steps.get(kind="claim")
    plans.step_change(
        step=step,
        actor=settler,
        details=plans.StepDetails(kind="claim", status="granted", notes=NOTE + "-step"),
    )
    # Read back through the models: the values are there, decrypted.
    assert Need.objects.get(pk=need.pk).helper_text == HELPER
    assert FollowUp.objects.get(pk=follow_up.pk).wellbeing == WELLBEING
    stored = every_value()
    for marker in (CITY, HELPER, WELLBEING, NOTE):
        assert marker.encode() not in stored, marker
    for control in (b"sponsor", b"psychological", b"permanent_residence"):
        assert control in stored
    for table, column, pk in (
        ("settlement_settlementplan", "city", plan.pk),
        ("settlement_need", "helper_text", need.pk),
        ("settlement_followup", "wellbeing", follow_up.pk),
    ):
        value = raw_value(table, column, pk)
        assert isinstance(value, bytes) and value
