"""``stay_arrive``, ``stay_end`` and ``stay_move``: the actual dates of a stay."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.safehouses import services
from passage.safehouses.models import SafeHouse, Stay
from tests.safehouses.conftest import days, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(verified_case: Case, house: SafeHouse, logistics: User) -> Stay:
    return services.stay_place(
        case=verified_case, house=house, actor=logistics, planned_from=today(), planned_to=days(9)
    )


def test_arrive_then_end(stay: Stay, logistics: User) -> None:
    services.stay_arrive(stay=stay, actor=logistics, on=today())
    with pytest.raises(NotAllowed):
        services.stay_arrive(stay=stay, actor=logistics, on=today())
    with pytest.raises(InvalidInput):
        services.stay_end(stay=stay, actor=logistics, on=days(1))  # in the future
    ended = services.stay_end(stay=stay, actor=logistics, on=today())
    assert (ended.actual_from, ended.actual_to) == (today(), today())
    assert ended.nights == 0
    actions = set(
        AuditEntry.objects.filter(object_id=str(stay.pk)).values_list("action", flat=True)
    )
    assert {"safehouse.stay_arrived", "safehouse.stay_ended"} <= actions
    with pytest.raises(NotAllowed, match="over"):
        services.stay_end(stay=stay, actor=logistics, on=today())


def test_ending_before_arrival_cancels_and_frees_the_beds(
    stay: Stay, logistics: User, make_case: Callable[..., Case], house: SafeHouse
) -> None:
    big = make_case("Big", household=4)
    with pytest.raises(NotAllowed):
        services.stay_place(
            case=big, house=house, actor=logistics, planned_from=today(), planned_to=days(2)
        )
    cancelled = services.stay_end(stay=stay, actor=logistics, on=today())
    assert cancelled.cancelled_at is not None
    services.stay_place(
        case=big, house=house, actor=logistics, planned_from=today(), planned_to=days(2)
    )


def test_arrival_in_the_future_is_refused(stay: Stay, logistics: User) -> None:
    with pytest.raises(InvalidInput):
        services.stay_arrive(stay=stay, actor=logistics, on=days(1))


def test_move_ends_the_stay_and_plans_the_next(
    stay: Stay, logistics: User, make_house: Callable[..., SafeHouse]
) -> None:
    services.stay_arrive(stay=stay, actor=logistics, on=today())
    oak = make_house("Oak")
    new = services.stay_move(stay=stay, house=oak, actor=logistics, planned_to=days(5))
    assert Stay.objects.get(pk=stay.pk).actual_to == today()
    assert (new.house, new.planned_from, new.planned_to) == (oak, today(), days(5))


def test_a_refused_move_changes_nothing(
    stay: Stay, logistics: User, make_house: Callable[..., SafeHouse]
) -> None:
    services.stay_arrive(stay=stay, actor=logistics, on=today())
    tiny = make_house("Tiny", beds=1)
    Case.objects.filter(pk=stay.case_id).update(household_size=2)
    stay = Stay.objects.select_related("case", "house").get(pk=stay.pk)
    with pytest.raises(NotAllowed):
        services.stay_move(stay=stay, house=tiny, actor=logistics, planned_to=days(5))
    assert Stay.objects.get(pk=stay.pk).actual_to is None
    assert not Stay.objects.filter(house=tiny).exists()


def test_a_caseworker_cannot_end_a_stay(stay: Stay, caseworker: User) -> None:
    with pytest.raises(NotAllowed):
        services.stay_end(stay=stay, actor=caseworker, on=today())
