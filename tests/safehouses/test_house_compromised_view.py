"""Marking a house compromised from its page: logistics after a fresh step-up, a reason, then
the flag shows on the house, on the case summary and on the case's safe-house tab."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.accounts.roles import STEP_UP_SECONDS
from passage.cases.models import Case
from passage.safehouses.models import ExposureFlag, SafeHouse
from tests.cases.views.support import age_second_factor, case_url, page, submit
from tests.personas import sign_in_as
from tests.safehouses.support import placed, url

pytestmark = pytest.mark.django_db


def test_mark_and_see_the_flags(
    verified_case: Case, house: SafeHouse, logistics: User, caseworker: User
) -> None:
    placed(verified_case, house, logistics)
    client = sign_in_as(logistics)
    empty = submit(client, url("compromised", house_id=house.pk), {"reason": ""})
    assert empty.status_code == 400
    response = submit(client, url("compromised", house_id=house.pk), {"reason": "raided"})
    assert response.status_code == 302
    assert ExposureFlag.objects.get().case == verified_case
    worker = sign_in_as(caseworker)
    summary = page(worker, case_url("case", verified_case))
    assert "Safe house compromised:" in summary and "Birch" in summary
    tab = page(worker, url("case", case_id=verified_case.pk))
    assert "Safe house compromised:" in tab
    # Once compromised, the page is gone (nothing more to mark).
    page(client, url("compromised", house_id=house.pk), status=404)


def test_step_up_and_others(house: SafeHouse, logistics: User, desk_lead: User) -> None:
    client = sign_in_as(logistics)
    age_second_factor(client, STEP_UP_SECONDS + 30)
    assert client.get(url("compromised", house_id=house.pk)).status_code == 302
    page(sign_in_as(desk_lead), url("compromised", house_id=house.pk), status=404)
