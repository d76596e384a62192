"""Fixtures for the settlement tests: the casework tests' personas and cases, settlement
workers on the North and South desks, and a North case brought to "Arrived" through the real
services (verification, four-eyes approval, the workflow)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.settlement.models import SettlementPlan
from passage.settlement.services.plans import plan_create
from tests.cases.conftest import verifier
from tests.cases.helpers import to_stage
from tests.casework.conftest import (
    break_glass,
    north_case,
    open_case,
    partner_org,
    south_case,
)
from tests.personas import make_staff

__all__ = ["break_glass", "north_case", "open_case", "partner_org", "south_case", "verifier"]

CITY = "Mrk-City-Hamilton-Ontario-5521"
HELPER = "Mrk-Helper-StMarks-Sponsor-Anna-8830"
WELLBEING = "Mrk-Wellbeing-sleeps-badly-nightmares-4471"
ARRIVED = dt.date(2027, 1, 31)

MakePlan = Callable[..., SettlementPlan]


@pytest.fixture
def settler(desk_north: Desk) -> User:
    """A settlement worker on the North desk."""
    return make_staff("settler", Role.SETTLEMENT, desks=(desk_north,))


@pytest.fixture
def settler_south(desk_south: Desk) -> User:
    """A settlement worker on the South desk (another compartment)."""
    return make_staff("settler_south", Role.SETTLEMENT, desks=(desk_south,))


@pytest.fixture
def arrive(caseworker: User, verifier: User) -> Callable[[Case], Case]:
    """Bring a new North case to "Arrived" through the real services."""

    def move(case: Case, stage: str = "arrived") -> Case:
        return to_stage(case, caseworker, verifier, stage)

    return move


@pytest.fixture
def arrived_case(north_case: Case, arrive: Callable[[Case], Case]) -> Case:
    return arrive(north_case)


@pytest.fixture
def make_plan(settler: User) -> MakePlan:
    """Make the plan of ``case`` as the settlement worker (arrived on ``ARRIVED``)."""

    def make(case: Case, *, actor: User | None = None, **fields: Any) -> SettlementPlan:
        values: dict[str, Any] = {
            "arrival_date": ARRIVED,
            "city": CITY,
            "today": dt.date(2027, 2, 1),
            **fields,
        }
        return plan_create(case=case, actor=actor or settler, **values)

    return make
