"""Fixtures for the routes tests: the cases personas and cases, a logistics coordinator of the
North desk (and one of the South desk), a North route with two legs, and travel plans made
through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.routes.models import Route, TravelLeg, TravelPlan
from passage.routes.services import routes, travel
from tests.cases.conftest import open_case, partner_org
from tests.cases.views.conftest import north_case, south_case
from tests.personas import make_staff

__all__ = ["north_case", "open_case", "partner_org", "south_case"]

MEETING_POINT = "Mrk-Meet-Bus-station-Nazran-gate-7"
BOOKING = "MrkBookQX7Z19"
LEG_NOTE = "Mrk-Route-Note-driver-Ruslan"


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def logistics(desk_north: Desk) -> User:
    return make_staff("logistics", Role.LOGISTICS, desks=(desk_north,))


@pytest.fixture
def south_logistics(desk_south: Desk) -> User:
    return make_staff("south-logistics", Role.LOGISTICS, desks=(desk_south,))


@pytest.fixture
def route(logistics: User, desk_north: Desk) -> Route:
    made = routes.route_create(desk=desk_north, actor=logistics, code="Rowan")
    routes.route_leg_add(
        route=made,
        actor=logistics,
        details=routes.LegDetails(
            origin_country="RU",
            destination_country="RU",
            mode="car",
            origin="Grozny",
            destination="Nazran",
            notes=LEG_NOTE,
        ),
    )
    routes.route_leg_add(
        route=made,
        actor=logistics,
        details=routes.LegDetails(
            origin_country="RU",
            destination_country="GE",
            mode="bus",
            origin="Vladikavkaz",
            destination="Tbilisi",
            border_crossing=True,
            required_documents=("international_passport",),
            risk="high",
        ),
    )
    return made


PlanTravel = Callable[..., TravelPlan]


@pytest.fixture
def plan_travel(logistics: User) -> PlanTravel:
    """A travel plan for a case with one leg per ``(days_from_today, booked)``."""

    def make(
        case: Case,
        *,
        route: Route | None = None,
        legs: tuple[tuple[int, bool], ...] = ((3, False),),
        status: str = TravelLeg.Status.PLANNED,
        actor: User | None = None,
    ) -> TravelPlan:
        who = actor or logistics
        plan = travel.travel_plan_create(case=case, actor=who, route=route)
        for days, booked in legs:
            day = today() + dt.timedelta(days=days)
            travel.travel_leg_add(
                plan=plan,
                actor=who,
                details=travel.TravelLegDetails(
                    departs_on=day,
                    arrives_on=day,
                    mode="bus",
                    status=status,
                    booking_reference=BOOKING if booked else "",
                    meeting_point=MEETING_POINT,
                ),
            )
        return plan

    return make
