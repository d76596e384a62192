"""What the Safety tab shows of a case: its schedule (never the words), check-ins, incidents,
duress signals and compromise reviews. The caller has already checked that the viewer sees
the case (``cases.queries.case_for``)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from passage.accounts.models import User
from passage.cases.access import worked_cases
from passage.cases.models import Case
from passage.cases.workflow import OPEN_STAGES
from passage.safety import schedules
from passage.safety.models import (
    CheckIn,
    CheckinSchedule,
    CompromiseReview,
    DuressEvent,
    LostContactIncident,
)

RECENT_CHECKINS = 20


@dataclass(frozen=True)
class SafetyView:
    schedule: CheckinSchedule | None
    interval_hours: int | None
    default_hours: int | None
    next_due_at: dt.datetime | None
    checkins: list[CheckIn]
    incidents: list[LostContactIncident]
    duress_events: list[DuressEvent]
    reviews: list[CompromiseReview]

    @property
    def open_duress(self) -> list[DuressEvent]:
        return [e for e in self.duress_events if e.state != DuressEvent.State.DISMISSED]


def safety_of(case: Case) -> SafetyView:
    schedule = (
        CheckinSchedule.objects.filter(case=case)
        .only(
            "id",
            "case_id",
            "active",
            "started_at",
            "override_hours",
            "last_checkin_at",
            "next_due_at",
            "escalation_level",
            "words_set_at",
            "words_set_via",
        )
        .first()
    )
    staying = case.pk in schedules.cases_staying([case.pk])
    interval = schedules.interval_hours(schedule, case, staying=staying) if schedule else None
    due = schedules.due_at(schedule, case, staying=staying) if schedule else None
    return SafetyView(
        schedule=schedule,
        interval_hours=interval,
        default_hours=schedules.default_hours(case, staying=staying),
        next_due_at=due,
        checkins=list(
            CheckIn.objects.filter(case=case).select_related("recorded_by")[:RECENT_CHECKINS]
        ),
        incidents=list(
            LostContactIncident.objects.filter(case=case).select_related("caseworker", "closed_by")
        ),
        duress_events=list(
            DuressEvent.objects.filter(case=case).select_related("recorded_by", "decided_by")
        ),
        reviews=list(
            CompromiseReview.objects.filter(case=case).select_related(
                "safehouse", "route", "closed_by"
            )
        ),
    )


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def duress_event_of(case: Case, event_id: object) -> DuressEvent | None:
    pk = _uuid(event_id)
    return (
        DuressEvent.objects.filter(case=case, pk=pk).select_related("case").first() if pk else None
    )


def review_of(case: Case, review_id: object) -> CompromiseReview | None:
    pk = _uuid(review_id)
    if pk is None:
        return None
    found: QuerySet[CompromiseReview] = CompromiseReview.objects.filter(case=case, pk=pk)
    return found.select_related("case", "safehouse", "route").first()


@dataclass(frozen=True)
class OverviewRow:
    case: Case
    schedule: CheckinSchedule | None
    lost_contact: bool
    duress: bool


OVERVIEW_LIMIT = 500


def overview_for(user: User) -> list[OverviewRow]:
    """The open cases the user works (desk or assignee) that have check-ins on, an open
    lost-contact incident or a standing duress signal: those with a signal first, then by the
    next due time. References and codes only: nothing is decrypted."""
    cases = worked_cases(user).filter(stage__in=OPEN_STAGES, merged_into__isnull=True)
    lost = set(
        LostContactIncident.objects.filter(case__in=cases, closed_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    signalled = set(
        DuressEvent.objects.filter(
            case__in=cases, state__in=(DuressEvent.State.OPEN, DuressEvent.State.CONFIRMED)
        ).values_list("case_id", flat=True)
    )
    schedules_by_case = {
        s.case_id: s
        for s in CheckinSchedule.objects.filter(case__in=cases, active=True).only(
            "id", "case_id", "active", "next_due_at", "escalation_level", "words_set_at"
        )[:OVERVIEW_LIMIT]
    }
    wanted = set(schedules_by_case) | lost | signalled
    found = Case.objects.filter(pk__in=wanted).select_related("desk", "assignee")
    rows = [
        OverviewRow(
            case=case,
            schedule=schedules_by_case.get(case.pk),
            lost_contact=case.pk in lost,
            duress=case.pk in signalled,
        )
        for case in found
    ]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def order(row: OverviewRow) -> tuple[int, dt.datetime]:
        due = row.schedule.next_due_at if row.schedule and row.schedule.next_due_at else far
        return (0 if row.duress or row.lost_contact else 1, due)

    return sorted(rows, key=order)
