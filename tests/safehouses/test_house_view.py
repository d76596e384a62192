"""A house's page: plain facts, stays by case reference, stay lengths, flags; the logistics
actions only for logistics staff."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.safehouses import services
from passage.safehouses.models import SafeHouse
from tests.cases.views.conftest import NAME
from tests.cases.views.support import page
from tests.personas import sign_in_as
from tests.safehouses.conftest import ADDRESS
from tests.safehouses.support import placed, url

pytestmark = pytest.mark.django_db


def test_stays_and_flags_by_reference(
    verified_case: Case, house: SafeHouse, logistics: User, caseworker: User
) -> None:
    placed(verified_case, house, logistics)
    services.safehouse_mark_compromised(house=house, actor=logistics, reason="seen")
    html = page(sign_in_as(caseworker), url("house", house_id=house.pk))
    assert verified_case.reference in html
    assert "Compromised:" in html and "Cases flagged" in html
    assert NAME not in html and ADDRESS not in html
    assert "Mark compromised" not in html and "Show address" not in html


def test_logistics_gets_the_actions(house: SafeHouse, logistics: User) -> None:
    html = page(sign_in_as(logistics), url("house", house_id=house.pk))
    assert "Show address" in html and "Mark compromised" in html and "Change status" in html


def test_another_desk_gets_404(house: SafeHouse, colleague: User) -> None:
    page(sign_in_as(colleague), url("house", house_id=house.pk), status=404)
