"""The triage score: declared, visible factors and their points, in one place.

A case's score is the sum of the points of the factors that apply, plus one point per full week
waiting (at most ``WAITING_MAX``), plus the boost of its campaign while the campaign runs and of
its desk. The level follows from the score unless a caseworker overrode it (with a reason).
The case page shows every part (``breakdown``), so a colleague can see why a case ranks where
it does.

The factors themselves are personal data (a past detention, being outed) and are stored only
encrypted (``Case.triage_factors``); the score, the level and the factor points' sum
(``priority_base``) are plain operational columns (DESIGN invariant 1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Factor:
    code: str
    label: Promise
    points: int
    help: Promise


FACTORS: tuple[Factor, ...] = (
    Factor(
        "immediate_danger",
        _("In immediate danger"),
        30,
        _("Threatened now: hunted, about to be detained, or with nowhere safe to sleep."),
    ),
    Factor(
        "detained_or_tortured",
        _("Detained or tortured before"),
        15,
        _("Has been held or tortured by police, security services or others."),
    ),
    Factor(
        "sought_by_authorities",
        _("Actively sought by the authorities"),
        15,
        _("Named in a list, summoned, or searched for."),
    ),
    Factor(
        "outed_or_family_threat",
        _("Outed, or threatened by family"),
        10,
        _("Family or community know, or family members have threatened them."),
    ),
    Factor("dependants", _("Has dependants"), 5, _("Children or others who depend on them.")),
    Factor(
        "health_needs",
        _("Health needs"),
        5,
        _("Medication, treatment or care that cannot wait (e.g. HIV treatment, injuries)."),
    ),
    Factor(
        "no_valid_passport",
        _("No valid passport"),
        5,
        _("No international passport, or it is expired or held by someone else."),
    ),
)
FACTOR_CODES: frozenset[str] = frozenset(f.code for f in FACTORS)
WAITING_POINT_DAYS = 7
WAITING_MAX = 10


class Level(models.IntegerChoices):
    """Higher is more urgent (so the queue can sort by the number)."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


# The lowest score of each level.
THRESHOLDS: tuple[tuple[int, Level], ...] = (
    (40, Level.CRITICAL),
    (25, Level.HIGH),
    (10, Level.MEDIUM),
)
LEVEL_COLOURS = {Level.LOW: "blue", Level.MEDIUM: "amber", Level.HIGH: "red", Level.CRITICAL: "red"}


def base_points(factors: dict[str, bool] | None) -> int:
    """Points of the factors that apply (unknown codes count nothing)."""
    chosen = factors or {}
    return sum(f.points for f in FACTORS if chosen.get(f.code))


def waiting_points(opened_at: dt.datetime, now: dt.datetime) -> int:
    days = max(0, (now - opened_at).days)
    return min(days // WAITING_POINT_DAYS, WAITING_MAX)


def level_for(score: int) -> Level:
    for lowest, level in THRESHOLDS:
        if score >= lowest:
            return level
    return Level.LOW


@dataclass(frozen=True)
class Part:
    label: str | Promise
    points: int


@dataclass(frozen=True)
class Breakdown:
    parts: list[Part]
    score: int
    computed_level: Level
    level: Level
    overridden: bool


def score(*, base: int, opened_at: dt.datetime, now: dt.datetime, boosts: int) -> int:
    return base + waiting_points(opened_at, now) + boosts


def breakdown(
    *,
    factors: dict[str, bool] | None,
    opened_at: dt.datetime,
    now: dt.datetime,
    campaign_boost: int,
    campaign_name: str,
    desk_boost: int,
    override: Level | None,
) -> Breakdown:
    """Every part of the score, for the case page."""
    chosen = factors or {}
    parts = [Part(f.label, f.points) for f in FACTORS if chosen.get(f.code)]
    waited = waiting_points(opened_at, now)
    if waited:
        parts.append(Part(_("Time waiting (one point a week)"), waited))
    if campaign_boost:
        parts.append(Part(_("Campaign: %(name)s") % {"name": campaign_name}, campaign_boost))
    if desk_boost:
        parts.append(Part(_("Desk priority"), desk_boost))
    total = sum(part.points for part in parts)
    computed = level_for(total)
    return Breakdown(
        parts=parts,
        score=total,
        computed_level=computed,
        level=override or computed,
        overridden=override is not None,
    )
