"""How often a case checks in, and when the next check-in is due.

The interval comes from the case's stage (and its safe-house stay), unless the case has its own
override: every 24 hours in transit, every 72 hours while staying in a safe house, weekly in any
other open stage, none once the case has ended. The clock runs from the last check-in, or from
when check-ins were started, whichever is later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from passage.cases.models import Case
from passage.cases.workflow import Stage, is_open
from passage.safehouses.models import Stay
from passage.safety.models import CheckinSchedule

IN_TRANSIT_HOURS = 24
SAFE_HOUSE_HOURS = 72
WAITING_HOURS = 7 * 24
MAX_OVERRIDE_HOURS = 30 * 24


def grace() -> dt.timedelta:
    return dt.timedelta(hours=settings.PASSAGE_CHECKIN_GRACE_HOURS)


def lost_contact_after() -> dt.timedelta:
    return dt.timedelta(hours=settings.PASSAGE_LOST_CONTACT_HOURS)


def cases_staying(case_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these cases are staying in a safe house now (arrived, not left, not cancelled)."""
    return set(
        Stay.objects.filter(
            case_id__in=list(case_ids),
            actual_from__isnull=False,
            actual_to__isnull=True,
            cancelled_at__isnull=True,
        ).values_list("case_id", flat=True)
    )


def default_hours(case: Case, *, staying: bool) -> int | None:
    """The stage's interval in hours, or None for an ended case."""
    if not is_open(case.stage):
        return None
    if case.stage == Stage.IN_TRANSIT:
        return IN_TRANSIT_HOURS
    if staying:
        return SAFE_HOUSE_HOURS
    return WAITING_HOURS


def interval_hours(schedule: CheckinSchedule, case: Case, *, staying: bool) -> int | None:
    """The hours between check-ins for this case now, or None when it has none."""
    if not schedule.active or not is_open(case.stage) or case.merged_into_id is not None:
        return None
    return schedule.override_hours or default_hours(case, staying=staying)


def due_at(schedule: CheckinSchedule, case: Case, *, staying: bool) -> dt.datetime | None:
    """When the next check-in is due, or None."""
    hours = interval_hours(schedule, case, staying=staying)
    if hours is None:
        return None
    since = max(schedule.started_at, schedule.last_checkin_at or schedule.started_at)
    return since + dt.timedelta(hours=hours)


def level_due(overdue: dt.timedelta) -> int:
    """How far a check-in this late should have escalated (CheckinSchedule.Level)."""
    if overdue >= lost_contact_after():
        return CheckinSchedule.Level.LOST_CONTACT
    if overdue >= 2 * grace():
        return CheckinSchedule.Level.DESK_LEAD
    if overdue >= grace():
        return CheckinSchedule.Level.CASEWORKER
    return CheckinSchedule.Level.NONE


def now_or(moment: dt.datetime | None) -> dt.datetime:
    return moment or timezone.now()
