"""Writing settlement plans: make one for an arrived case, change its arrival date and city,
its legal steps, its needs and who helps, and record follow-ups.

Every write needs the actor to work the case (its desk or its assignee) with the settlement
permission or the case-work permission (``_require``): settlement workers and the desk's
caseworkers write; break-glass readers and partners never do. Audit entries carry ids and
codes only; the city, helper text, notes and wellbeing notes are encrypted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case
from passage.cases.services import common
from passage.cases.workflow import Stage
from passage.casework.services.common import MAX_SHORT, text
from passage.settlement.models import (
    FOLLOW_UP_MONTHS,
    FollowUp,
    LegalStep,
    Need,
    SettlementPlan,
)

MAX_NOTES = 5_000
# The stages at which a plan may be made.
PLAN_STAGES = (Stage.ARRIVED, Stage.SETTLEMENT)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; a day the target month lacks becomes its last
    day (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_dates(arrival: dt.date) -> dict[int, dt.date]:
    """The due day of each follow-up (1, 3, 6 and 12 months after ``arrival``)."""
    return {months: add_months(arrival, months) for months in FOLLOW_UP_MONTHS}


def _require(actor: User, case: Case) -> None:
    """The actor works the case, with the settlement or the case-work permission."""
    perm = Perm.SETTLEMENT_WORK if actor.may(Perm.SETTLEMENT_WORK) else Perm.CASES_WORK
    access.require_working(actor, case, perm)


def _arrival(day: dt.date | None, today: dt.date) -> dt.date:
    if day is None:
        raise InvalidInput(_("Give the day the person arrived."))
    if day > today:
        raise InvalidInput(_("The arrival date cannot be in the future."))
    if day < today - dt.timedelta(days=365 * 30):
        raise InvalidInput(_("Give an arrival date within the last 30 years."))
    return day


def _record(actor: User, action: str, case: Case, kind: str, pk: object, rid: str | None) -> None:
    common.record(actor, action, case, object_type=kind, object_id=str(pk), request_id=rid)


def plan_create(
    *,
    case: Case,
    actor: User,
    arrival_date: dt.date | None,
    city: str = "",
    request_id: str | None = None,
    today: dt.date | None = None,
) -> SettlementPlan:
    """Make the settlement plan of an arrived case, with its legal steps (claim, hearing, work
    permit, travel document, permanent residence), its needs (every area, not started) and
    its follow-ups at 1, 3, 6 and 12 months after ``arrival_date``.

    Refused for a case that has not arrived (stage Arrived or Settlement) or has a plan.
    """
    _require(actor, case)
    day = _arrival(arrival_date, today or timezone.localdate())
    clean_city = text(city, limit=MAX_SHORT)
    with audit.atomic():
        locked = common.lock(case)
        if locked.stage not in PLAN_STAGES:
            raise InvalidInput(
                _(
                    "A settlement plan is made once the person has arrived: move the case to "
                    "“Arrived” first."
                )
            )
        if SettlementPlan.objects.filter(case=locked).exists():
            raise InvalidInput(_("This case has a settlement plan already."))
        now = timezone.now()
        plan = SettlementPlan.objects.create(
            case=locked,
            arrival_date=day,
            city=clean_city or None,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        for position, kind in enumerate(LegalStep.DEFAULT_KINDS):
            LegalStep.objects.create(
                case=locked, plan=plan, position=position, kind=kind, updated_by=actor
            )
        for area in Need.Area.values:
            Need.objects.create(case=locked, plan=plan, area=area, updated_by=actor)
        for months, due_on in follow_up_dates(day).items():
            FollowUp.objects.create(case=locked, plan=plan, months=months, due_on=due_on)
        _record(
            actor, "case.settlement_plan_created", locked, "settlement_plan", plan.pk, request_id
        )
    return plan


def plan_change(
    *,
    plan: SettlementPlan,
    actor: User,
    arrival_date: dt.date | None,
    city: str = "",
    request_id: str | None = None,
    today: dt.date | None = None,
) -> SettlementPlan:
    """Correct the arrival date and the city. A new arrival date moves the follow-ups still to
    do (and they may alert again for their new day)."""
    _require(actor, plan.case)
    day = _arrival(arrival_date, today or timezone.localdate())
    clean_city = text(city, limit=MAX_SHORT)
    with audit.atomic():
        locked = common.lock(plan.case)
        row = SettlementPlan.objects.select_for_update().get(pk=plan.pk, case=locked)
        if row.arrival_date != day:
            dates = follow_up_dates(day)
            pending = FollowUp.objects.filter(plan=row, status=FollowUp.Status.PENDING)
            for follow_up in pending.select_for_update():
                FollowUp.objects.filter(pk=follow_up.pk).update(
                    due_on=dates.get(follow_up.months, follow_up.due_on),
                    alerted_at=None,
                    updated_at=timezone.now(),
                )
        row.arrival_date = day
        row.city = clean_city or None
        row.updated_at = timezone.now()
        row.save()
        _record(
            actor, "case.settlement_plan_changed", locked, "settlement_plan", row.pk, request_id
        )
    return row


@dataclass(frozen=True)
class StepDetails:
    kind: str
    status: str
    on_date: dt.date | None = None
    notes: str = ""


def _step_checked(details: StepDetails) -> StepDetails:
    if details.kind not in LegalStep.Kind.values:
        raise InvalidInput(_("Choose the kind of step."))
    if details.status not in LegalStep.Status.values:
        raise InvalidInput(_("Choose where the step stands."))
    return StepDetails(
        kind=details.kind,
        status=details.status,
        on_date=details.on_date,
        notes=text(details.notes, limit=MAX_NOTES),
    )


def step_add(
    *,
    plan: SettlementPlan,
    actor: User,
    details: StepDetails,
    request_id: str | None = None,
) -> LegalStep:
    """Add a legal step to the plan (a second hearing, an appeal, another permit)."""
    _require(actor, plan.case)
    clean = _step_checked(details)
    with audit.atomic():
        locked = common.lock(plan.case)
        last = LegalStep.objects.filter(plan=plan).order_by("-position").first()
        step = LegalStep.objects.create(
            case=locked,
            plan=plan,
            position=(last.position + 1) if last else 0,
            kind=clean.kind,
            status=clean.status,
            on_date=clean.on_date,
            notes=clean.notes or None,
            updated_by=actor,
        )
        _record(actor, "case.settlement_step_added", locked, "settlement_step", step.pk, request_id)
    return step


def step_change(
    *,
    step: LegalStep,
    actor: User,
    details: StepDetails,
    request_id: str | None = None,
) -> LegalStep:
    """Change a legal step: where it stands, its date, notes."""
    _require(actor, step.case)
    clean = _step_checked(details)
    with audit.atomic():
        locked = common.lock(step.case)
        row = LegalStep.objects.select_for_update().get(pk=step.pk, case=locked)
        row.kind = clean.kind
        row.status = clean.status
        row.on_date = clean.on_date
        row.notes = clean.notes or None
        row.updated_by = actor
        row.updated_at = timezone.now()
        row.save()
        _record(
            actor, "case.settlement_step_changed", locked, "settlement_step", row.pk, request_id
        )
    return row


def helper_allowed(case: Case, helper: User) -> bool:
    """A staff helper must be an active member of the case's desk (so they may see the case)."""
    return (
        helper.is_active
        and helper.suspended_at is None
        and helper.partner_id is None
        and helper.memberships.filter(desk_id=case.desk_id).exists()
    )


def need_change(
    *,
    need: Need,
    actor: User,
    status: str,
    helper: User | None = None,
    helper_text: str = "",
    notes: str = "",
    request_id: str | None = None,
) -> Need:
    """Change where a need stands and who helps: a staff member of the case's desk, and/or
    someone outside (a sponsor group, a volunteer: encrypted free text)."""
    _require(actor, need.case)
    if status not in Need.Status.values:
        raise InvalidInput(_("Choose where this need stands."))
    if helper is not None and not helper_allowed(need.case, helper):
        raise InvalidInput(_("Choose a staff member of this case's desk."))
    clean_helper = text(helper_text, limit=MAX_SHORT)
    clean_notes = text(notes, limit=MAX_NOTES)
    with audit.atomic():
        locked = common.lock(need.case)
        row = Need.objects.select_for_update().get(pk=need.pk, case=locked)
        row.status = status
        row.helper = helper
        row.helper_text = clean_helper or None
        row.notes = clean_notes or None
        row.updated_by = actor
        row.updated_at = timezone.now()
        row.save()
        _record(
            actor, "case.settlement_need_changed", locked, "settlement_need", row.pk, request_id
        )
    return row


def follow_up_record(
    *,
    follow_up: FollowUp,
    actor: User,
    status: str,
    wellbeing: str = "",
    done_on: dt.date | None = None,
    request_id: str | None = None,
    today: dt.date | None = None,
) -> FollowUp:
    """Record a follow-up as done (with how the person is doing) or skipped, or set it back to
    do. ``done_on`` defaults to today for a follow-up done; it cannot be in the future."""
    _require(actor, follow_up.case)
    if status not in FollowUp.Status.values:
        raise InvalidInput(_("Choose whether the follow-up is done, skipped or still to do."))
    day = today or timezone.localdate()
    if done_on is not None and done_on > day:
        raise InvalidInput(_("The day of the follow-up cannot be in the future."))
    clean = text(wellbeing, limit=MAX_NOTES)
    with audit.atomic():
        locked = common.lock(follow_up.case)
        row = FollowUp.objects.select_for_update().get(pk=follow_up.pk, case=locked)
        row.status = status
        finished = status != FollowUp.Status.PENDING
        row.done_on = (done_on or day) if finished else None
        row.done_by = actor if finished else None
        row.wellbeing = clean or None
        row.updated_at = timezone.now()
        row.save()
        _record(
            actor, f"case.settlement_follow_up_{status}", locked, "follow_up", row.pk, request_id
        )
    return row
