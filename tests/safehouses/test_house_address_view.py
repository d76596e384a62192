"""The audited "Show address" (POST): logistics of the house's desk after a recent second
factor (30 minutes) see the address, contact and rules, and each view is an audit entry;
nobody else ever sees them, and no GET shows them."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.accounts.roles import ROUTINE_REVEAL_SECONDS
from passage.audit.models import AuditEntry
from passage.safehouses.models import SafeHouse
from tests.cases.views.support import age_second_factor, page, post, step_up_location
from tests.personas import sign_in_as
from tests.safehouses.conftest import ADDRESS, CONTACT, RULES
from tests.safehouses.support import url

pytestmark = pytest.mark.django_db


def views_of(house: SafeHouse) -> int:
    return AuditEntry.objects.filter(
        action="safehouse.address_viewed", object_id=str(house.pk)
    ).count()


def test_logistics_sees_the_address_after_posting_and_it_is_audited(
    house: SafeHouse, logistics: User
) -> None:
    client = sign_in_as(logistics)
    before = page(client, url("house", house_id=house.pk))
    assert "Show address" in before and ADDRESS not in before
    for expected in (1, 2):
        response = post(client, url("address", house_id=house.pk))
        assert response.status_code == 200
        body = response.content.decode()
        assert ADDRESS in body and CONTACT in body and RULES in body
        assert "no-store" in response["Cache-Control"]
        assert views_of(house) == expected


def test_a_stale_second_factor_is_sent_to_step_up(house: SafeHouse, logistics: User) -> None:
    client = sign_in_as(logistics)
    token_page = page(client, url("house", house_id=house.pk))
    assert "Show address" in token_page
    age_second_factor(client, ROUTINE_REVEAL_SECONDS + 60)
    response = post(client, url("address", house_id=house.pk))
    assert response.status_code == 302
    assert response["Location"] == step_up_location(url("address", house_id=house.pk))
    assert views_of(house) == 0


@pytest.mark.parametrize(
    "who", ["caseworker", "desk_lead", "screener", "admin", "colleague", "logistics_south"]
)
def test_nobody_else_sees_it(house: SafeHouse, who: str, request: pytest.FixtureRequest) -> None:
    user: User = request.getfixturevalue(who)
    client = sign_in_as(user)
    response = post(client, url("address", house_id=house.pk))
    assert response.status_code == 404
    assert views_of(house) == 0
    for name in ("house", "calendar"):
        got = client.get(url(name, house_id=house.pk))
        assert ADDRESS not in got.content.decode()
        if got.status_code == 200:
            assert "Show address" not in got.content.decode()


def test_a_get_never_shows_it(house: SafeHouse, logistics: User) -> None:
    client = sign_in_as(logistics)
    assert client.get(url("address", house_id=house.pk)).status_code == 405
    assert views_of(house) == 0
