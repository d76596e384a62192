"""The capacity view: free beds per house for the next 90 nights (0 when not open)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.safehouses import services
from passage.safehouses.models import SafeHouse
from tests.cases.views.support import page
from tests.personas import sign_in_as
from tests.safehouses.conftest import days
from tests.safehouses.support import url

pytestmark = pytest.mark.django_db


def test_ninety_nights_per_house(
    make_house: Callable[..., SafeHouse], logistics: User, caseworker: User
) -> None:
    make_house("Birch", beds=7)
    closed = make_house("Oak", beds=9)
    services.safehouse_set_status(house=closed, actor=logistics, status="closed")
    html = page(sign_in_as(caseworker), url("capacity"))
    assert html.count("<td>7</td>") == 90
    assert "<td>9</td>" not in html
    assert days(89).strftime("%m-%d") in html


def test_partners_get_404(partner_user: User) -> None:
    page(sign_in_as(partner_user), url("capacity"), status=404)
