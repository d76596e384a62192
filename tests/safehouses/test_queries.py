"""The queries: houses of one's desks only, occupancy tonight, the calendar, the 90-night
capacity and stay lengths (average and longest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.safehouses import queries, services
from passage.safehouses.models import SafeHouse, Stay
from tests.safehouses.conftest import days, today

pytestmark = pytest.mark.django_db


def test_houses_of_ones_desks_only(
    make_house: Callable[..., SafeHouse],
    logistics_south: User,
    desk_south: Desk,
    caseworker: User,
    colleague: User,
    partner_user: User,
    admin: User,
) -> None:
    north = make_house("Birch")
    south = make_house("Palm", desk=desk_south, actor=logistics_south)
    assert list(queries.visible_houses(caseworker)) == [north]
    assert list(queries.visible_houses(colleague)) == [south]
    assert not queries.visible_houses(partner_user).exists()
    assert not queries.visible_houses(admin).exists()
    assert queries.house_for(caseworker, south.pk) is None
    assert queries.house_for(caseworker, "not-a-uuid") is None


def test_occupancy_calendar_and_capacity(
    make_case: Callable[..., Case], house: SafeHouse, logistics: User
) -> None:
    services.stay_place(
        case=make_case(household=3),
        house=house,
        actor=logistics,
        planned_from=today(),
        planned_to=days(2),
    )
    (line,) = queries.house_lines(logistics)
    assert (line.tonight, line.free) == (3, 1)
    rows = queries.calendar(house, today(), nights=3)
    assert [r.people for r in rows] == [3, 3, 0]
    dates, capacity = queries.capacity(logistics, today())
    assert len(dates) == 90
    assert capacity[0].free[:3] == [1, 1, 4]


def test_stay_lengths(house: SafeHouse, make_case: Callable[..., Case], logistics: User) -> None:
    stays = []
    for length in (10, 20):
        stay = Stay.objects.create(
            case=make_case(),
            house=house,
            people=1,
            planned_from=today() - dt.timedelta(days=length),
            planned_to=today(),
            actual_from=today() - dt.timedelta(days=length),
            actual_to=today(),
        )
        stays.append(stay)
    stays.append(
        Stay.objects.create(
            case=make_case(),
            house=house,
            people=1,
            planned_from=days(1),
            planned_to=days(5),
        )
    )  # planned only: not counted
    lengths = queries.stay_lengths(stays)
    assert (lengths.count, lengths.average, lengths.longest) == (2, 15.0, 20)
    assert queries.lengths_overall(logistics) == lengths
    assert queries.stay_lengths([]).average is None
