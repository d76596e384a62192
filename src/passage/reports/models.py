"""What the reports app keeps itself: yearly goals, and the statistics releases once published.

Neither holds personal data: a goal is a number an admin sets; a release is the suppressed
tables of one fixed period (counts, "<5" and "x" only, labels from fixed vocabularies), kept
as first published so the same period is never published twice with different numbers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class YearlyGoal(models.Model):
    """People to bring to safety (arrived) in a calendar year, e.g. 100 in 2026."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    people = models.PositiveIntegerField(_("people to safety"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"goal {self.year}: {self.people}"


class StatisticsRelease(models.Model):
    """The public statistics of one period (``2025`` or ``2025-Q3``) as first published."""

    period = models.CharField(max_length=7, unique=True)
    tables = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"statistics {self.period}"
