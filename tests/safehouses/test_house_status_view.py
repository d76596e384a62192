"""Changing a house's status (open, full, closed) from its page: logistics only."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.safehouses.models import SafeHouse
from tests.cases.views.support import page, submit
from tests.personas import sign_in_as
from tests.safehouses.support import url

pytestmark = pytest.mark.django_db


def test_logistics_sets_full(house: SafeHouse, logistics: User) -> None:
    client = sign_in_as(logistics)
    response = submit(client, url("status", house_id=house.pk), {"status": "full"})
    assert response.status_code == 302
    assert SafeHouse.objects.get(pk=house.pk).status == "full"
    bad = submit(client, url("status", house_id=house.pk), {"status": "compromised"})
    assert bad.status_code == 400


def test_caseworkers_get_404(house: SafeHouse, caseworker: User) -> None:
    page(sign_in_as(caseworker), url("status", house_id=house.pk), status=404)
