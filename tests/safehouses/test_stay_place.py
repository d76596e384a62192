"""``stay_place``: a verified case in an open house of the actor's desk, one bed per person of
the household on every night, never more people than beds on any night."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.safehouses import services
from passage.safehouses.models import SafeHouse, Stay
from tests.safehouses.conftest import days

pytestmark = pytest.mark.django_db


def place(case: Case, house: SafeHouse, actor: User, first: int = 0, last: int = 10) -> Stay:
    return services.stay_place(
        case=case, house=house, actor=actor, planned_from=days(first), planned_to=days(last)
    )


def test_a_verified_case_is_placed_and_audited(
    verified_case: Case, house: SafeHouse, logistics: User
) -> None:
    stay = place(verified_case, house, logistics)
    assert Stay.objects.get(pk=stay.pk).people == verified_case.household_size
    entry = AuditEntry.objects.get(action="safehouse.stay_placed")
    assert entry.object_id == str(stay.pk)


def test_more_people_than_beds_on_any_night_is_refused(
    make_case: Callable[..., Case], make_house: Callable[..., SafeHouse], logistics: User
) -> None:
    house = make_house(beds=4)
    place(make_case("A", household=3), house, logistics, 0, 10)
    place(make_case("B", household=1), house, logistics, 2, 5)  # fills the house nights 2-4
    with pytest.raises(NotAllowed, match="do not fit"):
        place(make_case("C", household=1), house, logistics, 4, 6)  # night 4 is full
    place(make_case("D", household=1), house, logistics, 5, 8)  # B left on day 5: fits
    assert Stay.objects.filter(house=house).count() == 3


def test_a_household_larger_than_the_house_is_refused(
    make_case: Callable[..., Case], make_house: Callable[..., SafeHouse], logistics: User
) -> None:
    with pytest.raises(NotAllowed):
        place(make_case(household=3), make_house(beds=2), logistics)
    assert not Stay.objects.exists()


def test_an_unverified_case_is_refused(north_case: Case, house: SafeHouse, logistics: User) -> None:
    with pytest.raises(NotAllowed, match="verified"):
        place(north_case, house, logistics)


@pytest.mark.parametrize("status", ["full", "closed"])
def test_a_house_that_is_not_open_is_refused(
    verified_case: Case, house: SafeHouse, logistics: User, status: str
) -> None:
    services.safehouse_set_status(house=house, actor=logistics, status=status)
    with pytest.raises(NotAllowed, match="open"):
        place(verified_case, house, logistics)


def test_overlapping_stays_of_one_case_are_refused(
    verified_case: Case, make_house: Callable[..., SafeHouse], logistics: User
) -> None:
    place(verified_case, make_house("Birch"), logistics, 0, 10)
    with pytest.raises(NotAllowed, match="already"):
        place(verified_case, make_house("Oak"), logistics, 9, 12)
    place(verified_case, make_house("Elm"), logistics, 10, 12)


@pytest.mark.parametrize(("first", "last"), [(-1, 3), (3, 3), (5, 2), (0, 400)])
def test_bad_dates_are_refused(
    verified_case: Case, house: SafeHouse, logistics: User, first: int, last: int
) -> None:
    with pytest.raises(InvalidInput):
        place(verified_case, house, logistics, first, last)


def test_caseworkers_and_other_desks_cannot_place(
    verified_case: Case,
    house: SafeHouse,
    caseworker: User,
    logistics_south: User,
    make_house: Callable[..., SafeHouse],
    desk_south: object,
) -> None:
    with pytest.raises(NotAllowed):
        place(verified_case, house, caseworker)  # works the case, lacks logistics
    with pytest.raises(CaseNotFound):
        place(verified_case, house, logistics_south)  # another desk's case
    assert not Stay.objects.exists()
