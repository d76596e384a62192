"""Making and changing a settlement plan through the services: arrived cases only, the
follow-ups at 1, 3, 6 and 12 months (month ends included), who may write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.settlement.models import FollowUp, LegalStep, Need, SettlementPlan
from passage.settlement.services import plans
from passage.settlement.services.plans import StepDetails, add_months, follow_up_dates
from tests.settlement.conftest import ARRIVED, CITY, HELPER, MakePlan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2027, 1, 31), 3, dt.date(2027, 4, 30)),
        (dt.date(2027, 3, 31), 6, dt.date(2027, 9, 30)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
        (dt.date(2027, 11, 15), 3, dt.date(2028, 2, 15)),  # over the year's end
        (dt.date(2027, 12, 31), 1, dt.date(2028, 1, 31)),
        (dt.date(2027, 5, 10), 12, dt.date(2028, 5, 10)),
    ],
)
def test_months_are_added_by_the_calendar(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_a_plan_is_refused_for_a_case_that_has_not_arrived(
    north_case: Case, make_plan: MakePlan
) -> None:
    with pytest.raises(InvalidInput, match="once the person has arrived"):
        make_plan(north_case)
    assert not SettlementPlan.objects.exists()
    assert not FollowUp.objects.exists()


def test_a_plan_of_an_arrived_case_starts_with_steps_needs_and_four_follow_ups(
    arrived_case: Case, make_plan: MakePlan, settler: User
) -> None:
    plan = make_plan(arrived_case)
    assert (plan.arrival_date, plan.city) == (ARRIVED, CITY)
    follow_ups = list(FollowUp.objects.filter(plan=plan).order_by("months"))
    assert [(f.months, f.due_on, f.status) for f in follow_ups] == [
        (1, dt.date(2027, 2, 28), "pending"),
        (3, dt.date(2027, 4, 30), "pending"),
        (6, dt.date(2027, 7, 31), "pending"),
        (12, dt.date(2028, 1, 31), "pending"),
    ]
    assert [s.kind for s in LegalStep.objects.filter(plan=plan)] == [
        "claim",
        "hearing",
        "work_permit",
        "travel_document",
        "permanent_residence",
    ]
    assert set(Need.objects.filter(plan=plan).values_list("area", flat=True)) == {
        "housing",
        "language",
        "employment",
        "healthcare",
        "psychological",
        "sponsor",
        "banking",
        "education",
    }
    assert AuditEntry.objects.filter(
        action="case.settlement_plan_created", object_id=str(plan.pk)
    ).exists()
    with pytest.raises(InvalidInput, match="already"):
        make_plan(arrived_case)


def test_a_case_at_settlement_may_have_a_plan_too(
    north_case: Case, arrive: Callable[..., Case], make_plan: MakePlan
) -> None:
    case = arrive(north_case, "settlement")
    assert make_plan(case).case_id == case.pk


def test_the_arrival_date_is_required_and_not_in_the_future(
    arrived_case: Case, make_plan: MakePlan
) -> None:
    with pytest.raises(InvalidInput, match="arrived"):
        make_plan(arrived_case, arrival_date=None)
    with pytest.raises(InvalidInput, match="future"):
        make_plan(arrived_case, arrival_date=dt.date(2027, 2, 2))


def test_a_new_arrival_date_moves_only_the_follow_ups_still_to_do(
    arrived_case: Case, make_plan: MakePlan, settler: User
) -> None:
    plan = make_plan(arrived_case)
    first = FollowUp.objects.get(plan=plan, months=1)
    plans.follow_up_record(
        follow_up=first, actor=settler, status="done", wellbeing="ok", today=dt.date(2027, 3, 1)
    )
    plans.plan_change(
        plan=plan,
        actor=settler,
        arrival_date=dt.date(2027, 1, 15),
        city="",
        today=dt.date(2027, 3, 1),
    )
    due = dict(FollowUp.objects.filter(plan=plan).values_list("months", "due_on"))
    assert due == {
        1: dt.date(2027, 2, 28),  # done: stays
        3: dt.date(2027, 4, 15),
        6: dt.date(2027, 7, 15),
        12: dt.date(2028, 1, 15),
    }
    assert SettlementPlan.objects.get().city is None


def test_follow_up_dates_are_those_of_the_plan() -> None:
    assert follow_up_dates(dt.date(2027, 3, 31)) == {
        1: dt.date(2027, 4, 30),
        3: dt.date(2027, 6, 30),
        6: dt.date(2027, 9, 30),
        12: dt.date(2028, 3, 31),
    }


def test_the_desk_caseworker_writes_too_but_not_break_glass_or_another_desk(
    arrived_case: Case,
    make_plan: MakePlan,
    caseworker: User,
    colleague: User,
    settler_south: User,
    break_glass: User,
) -> None:
    plan = make_plan(arrived_case, actor=caseworker)
    step = LegalStep.objects.filter(plan=plan).first()
    assert step is not None
    details = StepDetails(kind="claim", status="in_progress", on_date=dt.date(2027, 2, 10))
    plans.step_change(step=step, actor=caseworker, details=details)
    with pytest.raises(NotAllowed):
        plans.step_change(step=step, actor=break_glass, details=details)
    with pytest.raises(CaseNotFound):
        plans.step_change(step=step, actor=settler_south, details=details)
    assert colleague is break_glass  # the South colleague holds the grant


def test_a_staff_helper_must_be_of_the_case_desk(
    arrived_case: Case, make_plan: MakePlan, settler: User, settler_south: User
) -> None:
    plan = make_plan(arrived_case)
    need = Need.objects.get(plan=plan, area="sponsor")
    with pytest.raises(InvalidInput, match="desk"):
        plans.need_change(need=need, actor=settler, status="in_progress", helper=settler_south)
    plans.need_change(
        need=need, actor=settler, status="in_progress", helper=settler, helper_text=HELPER
    )
    stored = Need.objects.get(pk=need.pk)
    assert (stored.status, stored.helper_id, stored.helper_text) == (
        "in_progress",
        settler.pk,
        HELPER,
    )
    with pytest.raises(InvalidInput):
        plans.need_change(need=need, actor=settler, status="done-ish")


def test_steps_are_added_and_checked(
    arrived_case: Case, make_plan: MakePlan, settler: User
) -> None:
    plan = make_plan(arrived_case)
    step = plans.step_add(
        plan=plan, actor=settler, details=StepDetails(kind="hearing", status="not_started")
    )
    assert step.position == 5
    with pytest.raises(InvalidInput):
        plans.step_add(plan=plan, actor=settler, details=StepDetails(kind="x", status="granted"))


def test_a_follow_up_is_done_skipped_or_back_to_do(
    arrived_case: Case, make_plan: MakePlan, settler: User
) -> None:
    plan = make_plan(arrived_case)
    follow_up = FollowUp.objects.get(plan=plan, months=3)
    today = dt.date(2027, 5, 2)
    plans.follow_up_record(follow_up=follow_up, actor=settler, status="skipped", today=today)
    stored = FollowUp.objects.get(pk=follow_up.pk)
    assert (stored.status, stored.done_on, stored.done_by_id) == ("skipped", today, settler.pk)
    plans.follow_up_record(follow_up=follow_up, actor=settler, status="pending", today=today)
    stored = FollowUp.objects.get(pk=follow_up.pk)
    assert (stored.status, stored.done_on, stored.done_by_id) == ("pending", None, None)
    with pytest.raises(InvalidInput, match="future"):
        plans.follow_up_record(
            follow_up=follow_up,
            actor=settler,
            status="done",
            done_on=dt.date(2027, 5, 3),
            today=today,
        )
