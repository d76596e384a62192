"""Adding a house: logistics after step-up; the address is stored encrypted and not echoed."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import ROUTINE_REVEAL_SECONDS
from passage.safehouses.models import SafeHouse
from tests.cases.views.support import age_second_factor, page, submit, top_errors
from tests.personas import sign_in_as
from tests.safehouses.conftest import ADDRESS
from tests.safehouses.support import url

pytestmark = pytest.mark.django_db

DATA = {"code_name": "Birch", "region": "Kazan", "beds": "3", "address": ADDRESS}


def test_logistics_adds_a_house(logistics: User, desk_north: Desk) -> None:
    client = sign_in_as(logistics)
    response = submit(client, url("new"), {**DATA, "desk": str(desk_north.pk)})
    house = SafeHouse.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("house", house_id=house.pk)
    assert house.address == ADDRESS and house.beds == 3


def test_bad_input_is_a_400_with_messages(logistics: User, desk_north: Desk) -> None:
    client = sign_in_as(logistics)
    response = submit(client, url("new"), {**DATA, "desk": str(desk_north.pk), "beds": "0"})
    assert response.status_code == 400
    submit(client, url("new"), {**DATA, "desk": str(desk_north.pk)})
    again = submit(client, url("new"), {**DATA, "desk": str(desk_north.pk)})
    assert again.status_code == 400
    assert any("code name" in e for e in top_errors(again.content.decode()))


def test_another_desk_cannot_be_chosen(logistics: User, desk_south: Desk) -> None:
    response = submit(sign_in_as(logistics), url("new"), {**DATA, "desk": str(desk_south.pk)})
    assert response.status_code == 400
    assert not SafeHouse.objects.exists()


def test_step_up_and_caseworkers(logistics: User, caseworker: User) -> None:
    client = sign_in_as(logistics)
    age_second_factor(client, ROUTINE_REVEAL_SECONDS + 60)
    assert client.get(url("new")).status_code == 302
    page(sign_in_as(caseworker), url("new"), status=404)
