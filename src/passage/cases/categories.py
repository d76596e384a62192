"""Coarse, self-described categories of a person, and age bands: what reports count by.

A person's own words (``Person.gender_identity``, ``sexual_orientation``) stay free text; staff
may also pick the coarse category the person chose for themselves (``gender_category``,
``orientation_category``). Both are encrypted on the person (DESIGN invariant 1): only the
rollup tables (``cases.models.rollups``) hold them in plain, as counts, never per person.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class GenderCategory(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another identity")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class OrientationCategory(models.TextChoices):
    LESBIAN = "lesbian", _("Lesbian")
    GAY = "gay", _("Gay")
    BISEXUAL = "bisexual", _("Bisexual")
    PANSEXUAL = "pansexual", _("Pansexual")
    ASEXUAL = "asexual", _("Asexual")
    QUEER = "queer", _("Queer")
    HETEROSEXUAL = "heterosexual", _("Heterosexual")
    OTHER = "other", _("Another orientation")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    FROM_18 = "18-24", _("18 to 24")
    FROM_25 = "25-34", _("25 to 34")
    FROM_35 = "35-44", _("35 to 44")
    FROM_45 = "45-54", _("45 to 54")
    FROM_55 = "55-64", _("55 to 64")
    FROM_65 = "65+", _("65 and over")


NOT_RECORDED = ""  # the key of "not recorded" in every category of a rollup

_BANDS: tuple[tuple[int, AgeBand], ...] = (
    (18, AgeBand.UNDER_18),
    (25, AgeBand.FROM_18),
    (35, AgeBand.FROM_25),
    (45, AgeBand.FROM_35),
    (55, AgeBand.FROM_45),
    (65, AgeBand.FROM_55),
)


def age_band(birth_year: int | None, on: dt.date | dt.datetime) -> str:
    """The age band of someone born in ``birth_year`` in the year of ``on`` ("" if unknown)."""
    if birth_year is None:
        return NOT_RECORDED
    age = on.year - birth_year
    if age < 0:
        return NOT_RECORDED
    for below, band in _BANDS:
        if age < below:
            return str(band)
    return str(AgeBand.FROM_65)


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """The label of a category value; "Not recorded" for the empty one."""
    if value == NOT_RECORDED:
        return str(_("Not recorded"))
    try:
        return str(choices(value).label)
    except ValueError:
        return value
