"""services.triage and cases.priority: declared factors, levels, overrides and the sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.cases import priority, queries
from passage.cases.exceptions import CaseNotFound, InvalidInput
from passage.cases.models import Campaign, Case, CaseEvent, DeskPriority
from passage.cases.priority import Level
from passage.cases.services import triage, workflow
from passage.cases.workflow import Stage
from tests.cases.helpers import REASON, audit_entries, fresh, raw_value

pytestmark = pytest.mark.django_db

POINTS = {f.code: f.points for f in priority.FACTORS}


def test_the_declared_points() -> None:
    assert POINTS == {
        "immediate_danger": 30,
        "detained_or_tortured": 15,
        "sought_by_authorities": 15,
        "outed_or_family_threat": 10,
        "dependants": 5,
        "health_needs": 5,
        "no_valid_passport": 5,
    }
    assert priority.base_points({"dependants": True, "no_such_factor": True}) == 5
    assert priority.base_points({"dependants": False}) == 0


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, Level.LOW),
        (9, Level.LOW),
        (10, Level.MEDIUM),
        (24, Level.MEDIUM),
        (25, Level.HIGH),
        (39, Level.HIGH),
        (40, Level.CRITICAL),
        (95, Level.CRITICAL),
    ],
)
def test_level_thresholds(score: int, level: Level) -> None:
    assert priority.level_for(score) is level


@pytest.mark.parametrize(
    ("factors", "score", "level"),
    [
        (set(), 0, Level.LOW),
        ({"dependants"}, 5, Level.LOW),
        ({"dependants", "health_needs"}, 10, Level.MEDIUM),
        ({"detained_or_tortured", "dependants", "no_valid_passport"}, 25, Level.HIGH),
        ({"immediate_danger", "health_needs"}, 35, Level.HIGH),
        ({"immediate_danger", "outed_or_family_threat"}, 40, Level.CRITICAL),
    ],
)
def test_an_opened_case_is_scored_from_its_factors(
    factors: set[str], score: int, level: Level, open_case: Callable[..., Case]
) -> None:
    case = fresh(open_case(factors=factors))
    assert (case.priority_base, case.priority_score, case.priority_level) == (score, score, level)
    parts = queries.priority_breakdown(case)
    assert sorted(p.points for p in parts.parts) == sorted(POINTS[f] for f in factors)
    assert {str(p.label) for p in parts.parts} == {
        str(f.label) for f in priority.FACTORS if f.code in factors
    }
    assert (parts.score, parts.computed_level, parts.level, parts.overridden) == (
        score,
        level,
        level,
        False,
    )


def test_unknown_factors_are_refused(open_case: Callable[..., Case], caseworker: User) -> None:
    with pytest.raises(InvalidInput, match="Unknown triage factor"):
        open_case(factors={"rich"})
    case = open_case()
    with pytest.raises(InvalidInput, match="Unknown triage factor"):
        triage.triage_factors_set(case=case, factors={"famous"}, actor=caseworker)


def test_setting_factors_rescores_and_is_encrypted(
    open_case: Callable[..., Case], caseworker: User, colleague: User
) -> None:
    case = open_case()
    changed = triage.triage_factors_set(
        case=case, factors={"detained_or_tortured", "sought_by_authorities"}, actor=caseworker
    )
    stored = fresh(changed)
    assert (stored.priority_score, stored.priority_level) == (30, Level.HIGH)
    assert stored.triage_factors == {"detained_or_tortured": True, "sought_by_authorities": True}
    raw = raw_value("cases_case", "triage_factors", case.pk)
    assert isinstance(raw, bytes) and b"detained" not in raw
    assert CaseEvent.objects.filter(case=case, kind="triage", detail="level_3").exists()
    assert audit_entries("case.triage_changed", case.pk)
    with pytest.raises(CaseNotFound):
        triage.triage_factors_set(case=case, factors=set(), actor=colleague)


def test_an_override_needs_a_reason_and_wins_until_cleared(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case(factors={"dependants"})
    with pytest.raises(InvalidInput, match="at least 10"):
        triage.priority_level_override(
            case=case, level=Level.CRITICAL, reason="urgent", actor=caseworker
        )
    assert fresh(case).level_override is None
    why = "her uncle is on his way to the flat"
    overridden = triage.priority_level_override(
        case=case, level=Level.CRITICAL, reason=why, actor=caseworker
    )
    stored = fresh(overridden)
    assert (stored.priority_score, stored.priority_level) == (5, Level.CRITICAL)
    assert stored.level_override_reason == why
    raw = raw_value("cases_case", "level_override_reason", case.pk)
    assert isinstance(raw, bytes) and b"uncle" not in raw
    parts = queries.priority_breakdown(stored)
    assert (parts.computed_level, parts.level, parts.overridden) == (
        Level.LOW,
        Level.CRITICAL,
        True,
    )
    # The override survives new factors and the sweep.
    triage.triage_factors_set(case=stored, factors={"health_needs"}, actor=caseworker)
    triage.priority_sweep(now=timezone.now() + dt.timedelta(days=30))
    assert fresh(case).priority_level == Level.CRITICAL
    assert audit_entries("case.priority_overridden", case.pk)

    cleared = triage.priority_level_override(case=case, level=None, reason="", actor=caseworker)
    stored = fresh(cleared)
    assert stored.level_override is None
    assert stored.priority_level == Level.LOW
    assert CaseEvent.objects.filter(case=case, kind="level_override", detail="cleared").exists()


def test_an_override_can_lower_the_level(open_case: Callable[..., Case], caseworker: User) -> None:
    case = open_case(factors={"immediate_danger", "outed_or_family_threat"})
    assert fresh(case).priority_level == Level.CRITICAL
    triage.priority_level_override(
        case=case, level=Level.MEDIUM, reason="already safe with a partner", actor=caseworker
    )
    assert fresh(case).priority_level == Level.MEDIUM


def test_the_sweep_adds_a_point_for_each_full_week_waiting(
    open_case: Callable[..., Case],
) -> None:
    opened = timezone.now() - dt.timedelta(days=400)
    case = open_case(factors={"dependants"}, now=opened)
    assert fresh(case).priority_score == 5
    assert triage.priority_sweep(now=opened + dt.timedelta(days=6, hours=23)) == 0
    assert fresh(case).priority_score == 5
    assert triage.priority_sweep(now=opened + dt.timedelta(days=7)) == 1
    assert fresh(case).priority_score == 6
    assert triage.priority_sweep(now=opened + dt.timedelta(days=7)) == 0  # idempotent
    triage.priority_sweep(now=opened + dt.timedelta(days=35))
    stored = fresh(case)
    assert (stored.priority_score, stored.priority_level) == (10, Level.MEDIUM)
    assert stored.priority_computed_at == opened + dt.timedelta(days=35)
    triage.priority_sweep(now=opened + dt.timedelta(days=365))
    assert fresh(case).priority_score == 5 + priority.WAITING_MAX
    parts = queries.priority_breakdown(fresh(case), now=opened + dt.timedelta(days=365))
    assert parts.score == 5 + priority.WAITING_MAX
    assert [p.points for p in parts.parts] == [5, priority.WAITING_MAX]
    assert audit_entries("case.priority_refreshed", "cases.priority_sweep")


def test_the_sweep_leaves_closed_cases_alone(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    opened = timezone.now() - dt.timedelta(days=100)
    case = open_case(now=opened)
    workflow.case_transition(case=case, to_stage=Stage.CLOSED, actor=caseworker, reason=REASON)
    assert triage.priority_sweep(now=timezone.now()) == 0
    assert fresh(case).priority_score == 0


def test_the_sweep_applies_running_campaign_and_desk_boosts(
    open_case: Callable[..., Case], desk_north: Desk, desk_south: Desk, colleague: User
) -> None:
    today = timezone.localdate()
    running = Campaign.objects.create(
        name="North Caucasus", countries=["RU"], starts_on=today, priority_boost=12
    )
    ended = Campaign.objects.create(
        name="Old crisis",
        countries=["RU"],
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=1),
        priority_boost=20,
    )
    in_campaign = open_case("A", country="RU", campaign=running)
    in_ended = open_case("B", country="RU", campaign=ended)
    elsewhere = open_case("C", actor=colleague, desk=desk_south, country="IR")
    assert fresh(in_campaign).priority_score == 12
    assert fresh(in_ended).priority_score == 0
    DeskPriority.objects.create(desk=desk_north, boost=7)
    now = timezone.now()
    assert triage.priority_sweep(now=now) == 2
    assert fresh(in_campaign).priority_score == 19
    assert fresh(in_ended).priority_score == 7
    assert fresh(elsewhere).priority_score == 0
    parts = queries.priority_breakdown(fresh(in_campaign), now=now)
    assert sorted((str(p.label), p.points) for p in parts.parts) == [
        ("Campaign: North Caucasus", 12),
        ("Desk priority", 7),
    ]
    # The campaign ends: its boost goes at the next sweep.
    Campaign.objects.filter(pk=running.pk).update(ends_on=today - dt.timedelta(days=1))
    triage.priority_sweep(now=now)
    assert fresh(in_campaign).priority_score == 7


def test_breakdown_and_stored_score_agree(open_case: Callable[..., Case], desk_north: Desk) -> None:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Crisis", countries=["RU"], starts_on=today - dt.timedelta(days=90), priority_boost=8
    )
    DeskPriority.objects.create(desk=desk_north, boost=3)
    opened = timezone.now() - dt.timedelta(days=50)
    case = open_case(
        factors={"sought_by_authorities", "health_needs"},
        country="RU",
        campaign=campaign,
        now=opened,
    )
    now = timezone.now()
    triage.priority_sweep(now=now)
    stored = fresh(case)
    parts = queries.priority_breakdown(stored, now=now)
    assert parts.score == stored.priority_score == 15 + 5 + 7 + 8 + 3
    assert parts.level == stored.priority_level == Level.HIGH  # 38
