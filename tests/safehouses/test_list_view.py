"""The list of houses: code names, desk, region, beds and tonight's occupancy, for the desk's
staff; no address, nothing of another desk."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.safehouses.models import SafeHouse
from tests.cases.views.support import page
from tests.personas import sign_in_as
from tests.safehouses.conftest import ADDRESS
from tests.safehouses.support import placed, url

pytestmark = pytest.mark.django_db


def test_the_desks_houses_with_occupancy(
    make_house: Callable[..., SafeHouse],
    make_case: Callable[..., Case],
    logistics: User,
    logistics_south: User,
    caseworker: User,
    desk_south: Desk,
) -> None:
    birch = make_house("Birch", beds=5)
    make_house("Palm", desk=desk_south, actor=logistics_south)
    placed(make_case(household=2), birch, logistics)
    html = page(sign_in_as(caseworker), url("list"))
    assert "Birch" in html and "Palm" not in html
    assert "2 staying, 3 free" in html
    assert ADDRESS not in html
    assert "Add a safe house" not in html
    assert "Add a safe house" in page(sign_in_as(logistics), url("list"))


def test_an_empty_list_says_so(caseworker: User) -> None:
    assert "no safe house yet" in page(sign_in_as(caseworker), url("list"))
