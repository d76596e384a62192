"""The case's "Safe house" tab: stays by house code name for whoever sees the case; the place
button only for logistics staff who work it, and only once the case is verified."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.safehouses.models import SafeHouse
from tests.cases.views.support import case_url, page
from tests.personas import sign_in_as
from tests.safehouses.conftest import ADDRESS
from tests.safehouses.support import placed, url

pytestmark = pytest.mark.django_db


def test_the_tab_is_in_the_case_tabs(north_case: Case, caseworker: User) -> None:
    html = page(sign_in_as(caseworker), case_url("case", north_case))
    assert url("case", case_id=north_case.pk) in html


def test_stays_for_the_caseworker_without_actions(
    verified_case: Case, house: SafeHouse, logistics: User, caseworker: User
) -> None:
    placed(verified_case, house, logistics)
    html = page(sign_in_as(caseworker), url("case", case_id=verified_case.pk))
    assert "Birch" in html and ADDRESS not in html
    assert "Place in a safe house" not in html and "Move" not in html


def test_logistics_gets_the_button_only_when_verified(
    north_case: Case, logistics: User, verifier: User
) -> None:
    client = sign_in_as(logistics)
    html = page(client, url("case", case_id=north_case.pk))
    assert "Only a verified case" in html
    assert url("place", case_id=north_case.pk) not in html


def test_other_desks_get_404(north_case: Case, colleague: User, partner_user: User) -> None:
    for user in (colleague, partner_user):
        page(sign_in_as(user), url("case", case_id=north_case.pk), status=404)
