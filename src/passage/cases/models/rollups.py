"""Rollup tables for reports: counts by coarse categories, never a row per person.

DESIGN invariant 1 allows rollup tables that hold counts by coarse categories (gender identity
and sexual orientation as self-described categories, age band, country of origin, pathway,
outcome, month). Each row is one combination of categories and how many cases have it; the
only identifier is the fund (an organisation's, not a person's). They are kept up to date by
``passage.cases.rollups`` in the same transaction as the change of a case, and rebuilt from
scratch by ``passage rollups rebuild``. Dashboards and the statistics exports read only these.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """What a row of ``CaseRollup`` counts: cases that reached a milestone in the month."""

    OPENED = "opened", _("Cases opened")
    VERIFIED = "verified", _("Verified")
    APPROVED = "approved", _("Approved")
    IN_TRANSIT = "in_transit", _("In transit")
    ARRIVED = "arrived", _("Arrived")
    SETTLED = "settled", _("Settled")
    CLOSED = "closed", _("Closed (by outcome)")


# Dimension columns of ``CaseRollup`` (its unique key, with ``measure`` and ``month``).
CATEGORY_COLUMNS: tuple[str, ...] = (
    "outcome",
    "country",
    "pathway",
    "gender",
    "orientation",
    "age_band",
    "fund",
)


class CaseRollup(models.Model):
    """How many cases reached ``measure`` in ``month``, by coarse categories.

    ``fund`` is empty for the count of all cases; a row with a fund id counts the same cases
    once more, restricted to those that received money from that fund (funder reports), so
    totals are always taken over ``fund=""``. ``outcome`` is set for ``closed`` rows only.
    The other categories are those of the case's principal; "" means not recorded.
    """

    measure = models.CharField(max_length=12, choices=Measure.choices)
    month = models.DateField()  # the first day of the month
    outcome = models.CharField(max_length=20, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")
    pathway = models.CharField(max_length=24, blank=True, default="")
    gender = models.CharField(max_length=16, blank=True, default="")
    orientation = models.CharField(max_length=16, blank=True, default="")
    age_band = models.CharField(max_length=8, blank=True, default="")
    fund = models.CharField(max_length=36, blank=True, default="")
    count = models.BigIntegerField(default=0)  # cases
    people = models.BigIntegerField(default=0)  # the people of those cases (household sizes)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "month", *CATEGORY_COLUMNS], name="cases_rollup_key"
            ),
        ]
        indexes = [models.Index(fields=["fund", "measure", "month"], name="cases_rollup_read")]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m}: {self.count}"


# The columns of ``CaseTotal``: ``CaseRollup`` without the person's categories.
TOTAL_COLUMNS: tuple[str, ...] = ("outcome", "country", "pathway", "fund")


class CaseTotal(models.Model):
    """``CaseRollup`` summed over gender, orientation and age band: what dashboards and the
    statistics releases read (a few thousand rows a year instead of one per combination)."""

    measure = models.CharField(max_length=12, choices=Measure.choices)
    month = models.DateField()
    outcome = models.CharField(max_length=20, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")
    pathway = models.CharField(max_length=24, blank=True, default="")
    fund = models.CharField(max_length=36, blank=True, default="")
    count = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "month", *TOTAL_COLUMNS], name="cases_total_key"
            ),
        ]
        indexes = [models.Index(fields=["fund", "measure", "month"], name="cases_total_read")]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m}: {self.count}"


class ArrivalRollup(models.Model):
    """Days from the first request to arrival, as a histogram per month of arrival.

    ``days`` is the lower bound of the bucket (``passage.cases.rollups.days_bucket``), so a
    median or a 90th percentile comes from the counts without any per-case row.
    """

    month = models.DateField()
    days = models.PositiveIntegerField()
    fund = models.CharField(max_length=36, blank=True, default="")
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "days", "fund"], name="cases_arrival_key"),
        ]

    def __str__(self) -> str:
        return f"arrivals {self.month:%Y-%m} after {self.days} days: {self.count}"


class StageRollup(models.Model):
    """How many cases are in each stage now, per desk (e.g. in lost contact)."""

    stage = models.CharField(max_length=20)
    desk_id = models.UUIDField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "desk_id"], name="cases_stage_rollup_key"),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.count}"
