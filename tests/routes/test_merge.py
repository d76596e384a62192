"""Merging two cases moves their travel plans and legs to the survivor, re-encrypted under its
key and still readable."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.services import duplicates
from passage.routes import queries
from passage.routes.models import Route, TravelLeg, TravelPlan
from passage.routes.services import routes
from tests.routes.conftest import MEETING_POINT, PlanTravel, today

pytestmark = pytest.mark.django_db


def test_travel_plans_move_to_the_survivor(
    open_case: Callable[..., Case], caseworker: User, plan_travel: PlanTravel
) -> None:
    survivor, merged = open_case("One Person"), open_case("Same Person")
    plan = plan_travel(merged)
    duplicates.cases_merge(survivor=survivor, merged=merged, actor=caseworker)
    assert TravelPlan.objects.get(pk=plan.pk).case_id == survivor.pk
    leg = TravelLeg.objects.get(plan=plan)
    assert leg.key_owner() == ("cases.case", survivor.pk)
    assert leg.meeting_point == MEETING_POINT


def test_a_flag_of_the_merged_case_shows_on_the_survivor(
    open_case: Callable[..., Case],
    caseworker: User,
    logistics: User,
    route: Route,
    plan_travel: PlanTravel,
) -> None:
    survivor, merged = open_case("One Person"), open_case("Same Person")
    plan_travel(merged, route=route)
    routes.route_mark_compromised(route=route, actor=logistics, reason="the driver was detained")
    duplicates.cases_merge(survivor=survivor, merged=merged, actor=caseworker)
    assert [flag.route_id for flag in queries.flags_of(survivor)] == [route.pk]
    [row] = queries.journey_board(logistics, today())
    assert (row.case.pk, row.flagged) == (survivor.pk, True)
