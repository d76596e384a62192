"""Reads of settlement plans.

A plan is a section of the case: whoever may read the case's sections (desk, assignee,
break-glass) reads it through a ``cases.queries.CaseView``, and the caller records that read
(``cases.views.common.record_read``). The list of follow-ups due reads plain columns only and
covers the cases the viewer works (their desks, their assignments): never break-glass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from passage.accounts.models import User
from passage.cases.access import worked_cases
from passage.cases.models import Case
from passage.cases.queries import CaseView, assignable_users, uuid_or_none
from passage.crypto import datakeys
from passage.settlement.models import (
    DUE_AHEAD_DAYS,
    FollowUp,
    LegalStep,
    Need,
    SettlementPlan,
)


@dataclass(frozen=True)
class PlanData:
    """A plan with its steps, needs and follow-ups (encrypted values decrypt on use)."""

    plan: SettlementPlan
    steps: list[LegalStep]
    needs: list[Need]
    follow_ups: list[FollowUp]


def plan_row(view: CaseView) -> SettlementPlan | None:
    """The case's plan (the oldest, after a merge brought two), not decrypted."""
    return SettlementPlan.objects.filter(case=view.case).select_related("case").first()


def plan_of(view: CaseView) -> PlanData | None:
    """The case's plan with everything in it, keys loaded in one query."""
    plan = plan_row(view)
    if plan is None:
        return None
    steps = list(LegalStep.objects.filter(plan=plan))
    needs = list(Need.objects.filter(plan=plan).select_related("helper"))
    order = {area: n for n, area in enumerate(Need.Area.values)}
    needs.sort(key=lambda need: order.get(need.area, len(order)))
    follow_ups = list(FollowUp.objects.filter(plan=plan).select_related("done_by"))
    datakeys.preload([plan, *steps, *needs, *follow_ups])
    return PlanData(plan, steps, needs, follow_ups)


def step_of(view: CaseView, step_id: object) -> LegalStep | None:
    pk = uuid_or_none(step_id)
    if pk is None:
        return None
    return LegalStep.objects.filter(case=view.case, pk=pk).select_related("case", "plan").first()


def need_of(view: CaseView, need_id: object) -> Need | None:
    pk = uuid_or_none(need_id)
    if pk is None:
        return None
    return (
        Need.objects.filter(case=view.case, pk=pk).select_related("case", "plan", "helper").first()
    )


def follow_up_of(view: CaseView, follow_up_id: object) -> FollowUp | None:
    pk = uuid_or_none(follow_up_id)
    if pk is None:
        return None
    return FollowUp.objects.filter(case=view.case, pk=pk).select_related("case", "plan").first()


def helpers_for(case: Case) -> list[User]:
    """Staff who may be named as helpers: those who may work cases of the case's desk."""
    return assignable_users([case.desk_id])


@dataclass(frozen=True)
class DueRow:
    follow_up: FollowUp
    case: Case
    days: int  # until the due day (negative: overdue)

    @property
    def overdue(self) -> bool:
        return self.days < 0


def due_follow_ups(viewer: User, *, today: dt.date | None = None) -> list[DueRow]:
    """Follow-ups still to do that are overdue or due within 14 days, on open cases the viewer
    works (their desks or assigned to them), soonest first. Plain columns only."""
    day = today or timezone.localdate()
    horizon = day + dt.timedelta(days=DUE_AHEAD_DAYS)
    rows = (
        FollowUp.objects.filter(
            status=FollowUp.Status.PENDING,
            due_on__lte=horizon,
            case__in=worked_cases(viewer),
            case__merged_into__isnull=True,
            case__closed_at__isnull=True,
        )
        .select_related("case", "case__desk", "case__assignee")
        .order_by("due_on", "case__reference", "months")
        .defer("wellbeing")
    )
    return [DueRow(f, f.case, (f.due_on - day).days) for f in rows]
