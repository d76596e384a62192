"""Writes of the reports app: yearly goals, and publishing a statistics release (audited)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.reports import statistics
from passage.reports.models import StatisticsRelease, YearlyGoal

MAX_GOAL = 1_000_000


class ReportsRefused(Exception):
    """A report write was refused; the message is for the user."""


def _actor(user: User) -> str:
    return audit.actor_for("user", user.pk)


def goal_set(*, actor: User, year: int, people: int, request_id: str | None = None) -> YearlyGoal:
    """Set (or change) how many people the organisation aims to bring to safety in ``year``."""
    if not actor.may(Perm.REPORTS_GOALS):
        raise ReportsRefused(_("Only admins set the yearly goals."))
    if not statistics.FIRST_YEAR <= year <= timezone.localdate().year + 5:
        raise ReportsRefused(_("Choose a year from 2000 to five years from now."))
    if not 1 <= people <= MAX_GOAL:
        raise ReportsRefused(_("The goal is a number of people from 1 to 1,000,000."))
    with audit.atomic():
        goal, _created = YearlyGoal.objects.update_or_create(
            year=year, defaults={"people": people, "set_by": actor, "set_at": timezone.now()}
        )
        audit.record(
            actor=_actor(actor),
            action="reports.goal_set",
            object_type="reports.goal",
            object_id=str(year),
            request_id=request_id,
        )
    return goal


def statistics_release(
    *, actor: User, release: statistics.ReleasePeriod, request_id: str | None = None
) -> StatisticsRelease:
    """The statistics of ``release``'s period: built and kept the first time (so the period is
    never published with other numbers later), then the same each time; every download is
    audited with its number of entries."""
    if not actor.may(Perm.STATISTICS_EXPORT):
        raise ReportsRefused(_("Your role does not allow downloading the statistics."))
    with audit.atomic():
        kept = StatisticsRelease.objects.select_for_update().filter(period=release.code).first()
        if kept is None:
            kept = StatisticsRelease.objects.create(
                period=release.code,
                tables=statistics.build_release(release),
                published_by=actor,
            )
            audit.record(
                actor=_actor(actor),
                action="reports.statistics_published",
                object_type="reports.statistics",
                object_id=release.code,
                request_id=request_id,
            )
        audit.record(
            actor=_actor(actor),
            action="reports.statistics_downloaded",
            object_type="reports.statistics",
            # As exports do: "<what>:<record count>" (here, the release's entries).
            object_id=f"{release.code}:{statistics.entries(kept.tables)}",
            request_id=request_id,
        )
    return kept
