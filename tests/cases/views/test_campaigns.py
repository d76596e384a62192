"""Campaigns and desk priorities /staff/campaigns/: for admins and desk leads; saving one
updates the scores of the open cases it covers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.cases.models import Campaign, Case, DeskPriority
from passage.cases.services import campaigns
from tests.cases.helpers import fresh
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, post, submit, text_of, top_errors

pytestmark = pytest.mark.django_db

LIST = "/staff/campaigns/"
NEW = "/staff/campaigns/new/"


def campaign_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "North Caucasus 2017",
        "countries": ["RU"],
        "regions": "Chechnya\n",
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": "",
        "priority_boost": "10",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["desk_lead", "admin"])
def test_the_page_opens_for_desk_leads_and_admins(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, desk_north: Desk
) -> None:
    content = page(signed_in(request.getfixturevalue(persona)), LIST)
    assert "Campaigns and desk priorities" in content
    assert f"/staff/campaigns/desks/{desk_north.pk}/" in content


@pytest.mark.parametrize("persona", ["caseworker", "verifier", "colleague", "partner_user"])
def test_the_pages_are_404_for_others(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, desk_north: Desk
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, LIST, status=404)
    page(client, NEW, status=404)
    page(client, f"/staff/campaigns/desks/{desk_north.pk}/", status=404)
    assert post(client, NEW, campaign_form()).status_code == 404
    assert not Campaign.objects.exists()


def test_a_new_campaign_takes_in_the_open_cases_it_covers_and_raises_their_score(
    signed_in: Signed, desk_lead: User, open_case: Any
) -> None:
    inside: Case = open_case("In Chechnya", country="RU", region="Chechnya")
    outside: Case = open_case("In Dagestan", country="RU", region="Dagestan")
    before = fresh(inside).priority_score
    client = signed_in(desk_lead)
    response = submit(client, NEW, campaign_form())
    assert response.status_code == 302
    assert response["Location"] == LIST
    campaign = Campaign.objects.get()
    assert (campaign.countries, campaign.regions, campaign.priority_boost) == (
        ["RU"],
        ["Chechnya"],
        10,
    )
    assert fresh(inside).campaign == campaign
    assert fresh(inside).priority_score == before + 10
    assert fresh(outside).campaign is None
    content = page(client, LIST)
    assert "North Caucasus 2017" in content
    assert "Campaign saved; scores of open cases are updated." in content


def test_bad_values_are_refused_and_kept(signed_in: Signed, desk_lead: User) -> None:
    client = signed_in(desk_lead)
    too_much = submit(client, NEW, campaign_form(priority_boost="31"))
    assert too_much.status_code == 400
    content = text_of(too_much)
    assert field_error(content, "priority_boost") == (
        "Ensure this value is less than or equal to 30."
    )
    assert 'value="North Caucasus 2017"' in content

    backwards = submit(
        client,
        NEW,
        campaign_form(ends_on=(timezone.localdate() - dt.timedelta(days=5)).isoformat()),
    )
    assert backwards.status_code == 400
    assert top_errors(text_of(backwards)) == ["The campaign cannot end before it starts."]

    nowhere = submit(client, NEW, campaign_form(countries=[], regions=""))
    assert nowhere.status_code == 400
    assert top_errors(text_of(nowhere)) == ["Name at least one country or region."]
    assert not Campaign.objects.exists()


def test_a_name_taken_already_is_refused(signed_in: Signed, desk_lead: User) -> None:
    client = signed_in(desk_lead)
    assert submit(client, NEW, campaign_form()).status_code == 302
    again = submit(client, NEW, campaign_form())
    assert again.status_code == 400
    assert top_errors(text_of(again)) == ["Another campaign has this name."]
    assert Campaign.objects.count() == 1


def test_changing_a_campaign(signed_in: Signed, desk_lead: User, admin: User) -> None:
    campaign = campaigns.campaign_save(
        actor=desk_lead,
        name="North Caucasus 2017",
        countries=["RU"],
        regions=[],
        starts_on=timezone.localdate(),
        ends_on=None,
        priority_boost=10,
    )
    client = signed_in(admin)
    path = f"/staff/campaigns/{campaign.pk}/edit/"
    assert 'value="North Caucasus 2017"' in page(client, path)
    response = submit(client, path, campaign_form(name="North Caucasus", priority_boost="15"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.priority_boost) == ("North Caucasus", 15)
    page(client, "/staff/campaigns/00000000-0000-4000-8000-000000000000/edit/", status=404)


def test_a_desk_lead_sets_the_priority_of_their_desk_only(
    signed_in: Signed, desk_lead: User, desk_north: Desk, desk_south: Desk, north_case: Case
) -> None:
    client = signed_in(desk_lead)
    before = fresh(north_case).priority_score
    path = f"/staff/campaigns/desks/{desk_north.pk}/"
    response = submit(client, path, {"boost": "5"})
    assert response.status_code == 302
    assert DeskPriority.objects.get(desk=desk_north).boost == 5
    assert fresh(north_case).priority_score == before + 5
    refused = submit(client, path, {"boost": "11"})
    assert refused.status_code == 400
    assert field_error(text_of(refused), "boost") == (
        "Ensure this value is less than or equal to 10."
    )
    page(client, f"/staff/campaigns/desks/{desk_south.pk}/", status=404)
    assert (
        post(client, f"/staff/campaigns/desks/{desk_south.pk}/", {"boost": "9"}).status_code == 404
    )
    assert not DeskPriority.objects.filter(desk=desk_south).exists()


def test_an_admin_sets_any_desk(signed_in: Signed, admin: User, desk_south: Desk) -> None:
    response = submit(signed_in(admin), f"/staff/campaigns/desks/{desk_south.pk}/", {"boost": "3"})
    assert response.status_code == 302
    assert DeskPriority.objects.get(desk=desk_south).boost == 3
