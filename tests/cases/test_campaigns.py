"""services.campaigns: crisis campaigns and desk priorities, the boosts of the triage score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Campaign, Case, DeskPriority
from passage.cases.services import campaigns, triage, workflow
from passage.cases.workflow import Stage
from tests.cases.helpers import REASON, audit_entries, fresh

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()  # noqa: DTZ011 -- a calendar date


def save(actor: User, **overrides: Any) -> Campaign:
    values: dict[str, Any] = {
        "name": "North Caucasus 2017",
        "countries": ["ru"],
        "regions": [],
        "starts_on": timezone.localdate(),
        "ends_on": None,
        "priority_boost": 10,
    }
    values.update(overrides)
    return campaigns.campaign_save(actor=actor, **values)


def test_only_those_who_manage_campaigns_may(
    caseworker: User, verifier: User, desk_lead: User, admin: User
) -> None:
    for actor in (caseworker, verifier):
        with pytest.raises(NotAllowed, match="managing campaigns"):
            save(actor)
    assert not Campaign.objects.exists()
    created = save(desk_lead)
    assert (created.countries, created.priority_boost) == (["RU"], 10)
    assert audit_entries("campaign.created", created.pk)
    changed = save(admin, campaign=created, name="North Caucasus", priority_boost=15)
    assert changed.pk == created.pk
    assert Campaign.objects.get().name == "North Caucasus"
    assert audit_entries("campaign.changed", created.pk)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": " "}, "Give the campaign a name"),
        ({"countries": [], "regions": []}, "at least one country or region"),
        ({"countries": ["Russia"]}, "two-letter codes"),
        ({"ends_on": TODAY - dt.timedelta(days=400)}, "cannot end before it starts"),
        ({"priority_boost": 31}, "between 0 and 30"),
        ({"priority_boost": -1}, "between 0 and 30"),
    ],
)
def test_a_campaign_must_make_sense(overrides: dict[str, Any], message: str, admin: User) -> None:
    with pytest.raises(InvalidInput, match=message):
        save(admin, **overrides)
    assert not Campaign.objects.exists()


def test_names_are_unique(admin: User) -> None:
    save(admin)
    with pytest.raises(InvalidInput, match="Another campaign has this name"):
        save(admin, countries=["IR"])
    assert Campaign.objects.count() == 1


def test_open_covered_cases_join_and_are_rescored(
    open_case: Callable[..., Case],
    admin: User,
    caseworker: User,
    colleague: User,
    desk_south: Desk,
) -> None:
    covered = open_case("A", country="RU", region="Chechnya")
    other_region = open_case("B", country="RU", region="Dagestan")
    other_country = open_case("C", actor=colleague, desk=desk_south, country="IR")
    closed = open_case("D", country="RU", region="chechnya")
    workflow.case_transition(case=closed, to_stage=Stage.CLOSED, actor=caseworker, reason=REASON)

    campaign = save(admin, countries=["RU"], regions=["CHECHNYA"], priority_boost=12)

    assert fresh(covered).campaign == campaign
    assert fresh(covered).priority_score == 12
    for left_out in (other_region, other_country, closed):
        assert fresh(left_out).campaign is None
        assert fresh(left_out).priority_score == 0
    assert audit_entries("campaign.cases_joined", campaign.pk)


def test_a_case_opened_during_a_campaign_joins_the_strongest_one(
    open_case: Callable[..., Case], admin: User
) -> None:
    weak = save(admin, name="Weak", priority_boost=5)
    strong = save(admin, name="Strong", priority_boost=20)
    save(admin, name="Elsewhere", countries=["IR"], priority_boost=30)
    save(
        admin,
        name="Later",
        starts_on=timezone.localdate() + dt.timedelta(days=10),
        priority_boost=25,
    )
    case = fresh(open_case(country="RU"))
    assert case.campaign == strong
    assert case.priority_score == 20
    assert weak.pk != strong.pk
    assert fresh(open_case("Other", country="GE")).campaign is None


def test_an_inactive_campaign_takes_no_cases_and_gives_no_boost(
    open_case: Callable[..., Case], admin: User
) -> None:
    case = open_case(country="RU")
    save(admin, is_active=False)
    assert fresh(case).campaign is None
    assert fresh(open_case("Later", country="RU")).campaign is None


def test_a_future_campaign_boosts_only_once_it_runs(
    open_case: Callable[..., Case], admin: User
) -> None:
    case = open_case(country="RU")
    starts = timezone.localdate() + dt.timedelta(days=3)
    campaign = save(admin, starts_on=starts)
    assert fresh(case).campaign == campaign
    assert fresh(case).priority_score == 0
    triage.priority_sweep(now=timezone.now() + dt.timedelta(days=4))
    assert fresh(case).priority_score == 10


def test_desk_priority_by_an_admin_or_that_desks_lead_only(
    open_case: Callable[..., Case],
    desk_north: Desk,
    caseworker: User,
    desk_lead: User,
    south_lead: User,
    admin: User,
) -> None:
    case = open_case()
    with pytest.raises(NotAllowed, match="managing campaigns"):
        campaigns.desk_priority_set(desk=desk_north, boost=5, actor=caseworker)
    with pytest.raises(NotAllowed, match="this desk's lead"):
        campaigns.desk_priority_set(desk=desk_north, boost=5, actor=south_lead)
    with pytest.raises(InvalidInput, match="between 0 and 10"):
        campaigns.desk_priority_set(desk=desk_north, boost=11, actor=desk_lead)
    assert not DeskPriority.objects.exists()

    assert campaigns.desk_priority_set(desk=desk_north, boost=6, actor=desk_lead) is True
    assert fresh(case).priority_score == 6
    assert campaigns.desk_priority_set(desk=desk_north, boost=6, actor=admin) is False
    assert campaigns.desk_priority_set(desk=desk_north, boost=0, actor=admin) is True
    assert fresh(case).priority_score == 0
    assert len(audit_entries("desk.priority_set", desk_north.pk)) == 2
