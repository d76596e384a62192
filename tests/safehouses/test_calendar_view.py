"""The occupancy calendar: night by night, cases by reference, a plain table; paging by a date
in the query (a bad date falls back to today)."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.safehouses.models import SafeHouse
from tests.cases.views.support import page
from tests.personas import sign_in_as
from tests.safehouses.conftest import days
from tests.safehouses.support import placed, url

pytestmark = pytest.mark.django_db


def test_nights_with_references(
    verified_case: Case, house: SafeHouse, logistics: User, caseworker: User
) -> None:
    placed(verified_case, house, logistics, nights=3)
    client = sign_in_as(caseworker)
    html = page(client, url("calendar", house_id=house.pk))
    assert html.count(verified_case.reference) == 3
    assert "<table" in html
    later = page(client, url("calendar", house_id=house.pk) + f"?on={days(40).isoformat()}")
    assert verified_case.reference not in later
    assert days(40).isoformat() in later
    page(client, url("calendar", house_id=house.pk) + "?on=not-a-date")


def test_another_desk_gets_404(house: SafeHouse, colleague: User) -> None:
    page(sign_in_as(colleague), url("calendar", house_id=house.pk), status=404)
