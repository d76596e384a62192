"""Placing a case from its safe-house tab: logistics who work the case; a full house or an
unverified case is refused with a message (400), never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.safehouses.models import SafeHouse, Stay
from tests.cases.views.support import page, submit, top_errors
from tests.personas import sign_in_as
from tests.safehouses.conftest import days
from tests.safehouses.support import url

pytestmark = pytest.mark.django_db


def form(house: SafeHouse, first: int = 0, last: int = 5) -> dict[str, str]:
    return {
        "house": str(house.pk),
        "planned_from": days(first).isoformat(),
        "planned_to": days(last).isoformat(),
    }


def test_placed_then_refused_when_full(
    make_case: Callable[..., Case], make_house: Callable[..., SafeHouse], logistics: User
) -> None:
    house = make_house(beds=2)
    first, second = make_case("One", household=2), make_case("Two")
    client = sign_in_as(logistics)
    response = submit(client, url("place", case_id=first.pk), form(house))
    assert response.status_code == 302
    assert response["Location"] == url("case", case_id=first.pk)
    refused = submit(client, url("place", case_id=second.pk), form(house))
    assert refused.status_code == 400
    assert any("do not fit" in e for e in top_errors(refused.content.decode()))
    assert Stay.objects.count() == 1


def test_unverified_is_refused(north_case: Case, house: SafeHouse, logistics: User) -> None:
    refused = submit(sign_in_as(logistics), url("place", case_id=north_case.pk), form(house))
    assert refused.status_code == 400
    assert any("verified" in e for e in top_errors(refused.content.decode()))


def test_bad_dates_are_a_400(verified_case: Case, house: SafeHouse, logistics: User) -> None:
    client = sign_in_as(logistics)
    assert (
        submit(client, url("place", case_id=verified_case.pk), form(house, 5, 2)).status_code == 400
    )
    junk = {"house": "nope", "planned_from": "x", "planned_to": ""}
    assert submit(client, url("place", case_id=verified_case.pk), junk).status_code == 400
    assert not Stay.objects.exists()


def test_caseworkers_get_404(verified_case: Case, caseworker: User) -> None:
    page(sign_in_as(caseworker), url("place", case_id=verified_case.pk), status=404)
