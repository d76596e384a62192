"""Recording arrival, ending and moving a stay from the case's tab (logistics only)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.safehouses.models import SafeHouse, Stay
from tests.cases.views.support import page, submit
from tests.personas import sign_in_as
from tests.safehouses.conftest import days, today
from tests.safehouses.support import placed, url

pytestmark = pytest.mark.django_db


def test_arrive_move_end(
    verified_case: Case, make_house: Callable[..., SafeHouse], logistics: User
) -> None:
    stay = placed(verified_case, make_house("Birch"), logistics)
    oak = make_house("Oak")
    client = sign_in_as(logistics)
    tab = page(client, url("case", case_id=verified_case.pk))
    assert url("stay-arrive", case_id=verified_case.pk, stay_id=stay.pk) in tab
    args = {"case_id": verified_case.pk, "stay_id": stay.pk}
    on = {"on": today().isoformat()}
    assert submit(client, url("stay-arrive", **args), on).status_code == 302
    move = {"house": str(oak.pk), "planned_to": days(4).isoformat()}
    assert submit(client, url("stay-move", **args), move).status_code == 302
    new = Stay.objects.get(house=oak)
    page(client, url("stay-end", **args), status=404)  # the old stay is over
    new_args = {"case_id": verified_case.pk, "stay_id": new.pk}
    future = submit(client, url("stay-arrive", **new_args), {"on": days(2).isoformat()})
    assert future.status_code == 400
    assert submit(client, url("stay-end", **new_args), on).status_code == 302
    assert Stay.objects.get(pk=new.pk).cancelled_at is not None  # never arrived: cancelled


def test_caseworkers_get_404(
    verified_case: Case, house: SafeHouse, logistics: User, caseworker: User
) -> None:
    stay = placed(verified_case, house, logistics)
    client = sign_in_as(caseworker)
    for name in ("stay-arrive", "stay-end", "stay-move"):
        page(client, url(name, case_id=verified_case.pk, stay_id=stay.pk), status=404)
