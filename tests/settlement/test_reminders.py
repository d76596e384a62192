"""The periodic job ``settlement.tasks.follow_up_alerts`` (``services.reminders.
follow_up_sweep``): one info alert per follow-up when its day comes, to the assignee or the
desk's settlement workers; idempotent; none for follow-ups done, skipped or on closed cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.cases.services.assignment import case_assign
from passage.settlement.models import FollowUp
from passage.settlement.services import plans
from passage.settlement.services.reminders import follow_up_sweep
from tests.settlement.conftest import MakePlan

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def raised() -> list[tuple[str, str]]:
    return list(
        Alert.objects.filter(code=kinds.SETTLEMENT_FOLLOW_UP_DUE)
        .order_by("created_at")
        .values_list("case_reference", "details")
    )


def test_each_follow_up_alerts_once_on_its_day(
    arrived_case: Case, make_plan: MakePlan, settler: User, caseworker: User
) -> None:
    make_plan(arrived_case)  # due 28 Feb, 30 Apr, 31 Jul 2027, 31 Jan 2028
    assert follow_up_sweep(now=at(dt.date(2027, 2, 27))) == 0
    assert follow_up_sweep(now=at(dt.date(2027, 2, 28))) == 1
    assert follow_up_sweep(now=at(dt.date(2027, 2, 28))) == 0  # run twice: nothing more
    assert follow_up_sweep(now=at(dt.date(2027, 3, 10))) == 0  # still due, alerted already
    assert follow_up_sweep(now=at(dt.date(2027, 4, 30))) == 1
    ref = arrived_case.reference
    assert raised() == [(ref, "months_1"), (ref, "months_3")]
    alert = Alert.objects.filter(code=kinds.SETTLEMENT_FOLLOW_UP_DUE).first()
    assert alert is not None and alert.severity == "info"
    # Nobody assigned: the North desk's settlement workers see it, a caseworker does not.
    assert alert in list(alerts_for(settler))
    assert alert not in list(alerts_for(caseworker))
    assert AuditEntry.objects.filter(action="settlement.follow_up_alerted").count() == 2


def test_the_assignee_is_alerted_and_finished_follow_ups_are_not(
    arrived_case: Case, make_plan: MakePlan, settler: User, caseworker: User
) -> None:
    case_assign(case=arrived_case, assignee=caseworker, actor=caseworker)
    plan = make_plan(arrived_case)
    first = FollowUp.objects.get(plan=plan, months=1)
    plans.follow_up_record(
        follow_up=first, actor=settler, status="skipped", today=dt.date(2027, 2, 20)
    )
    assert follow_up_sweep(now=at(dt.date(2027, 5, 1))) == 1  # the 3-month one only
    alert = Alert.objects.get(code=kinds.SETTLEMENT_FOLLOW_UP_DUE)
    assert alert.target_user_id == caseworker.pk


def test_a_moved_arrival_date_alerts_again_on_the_new_day(
    arrived_case: Case, make_plan: MakePlan, settler: User
) -> None:
    plan = make_plan(arrived_case)
    assert follow_up_sweep(now=at(dt.date(2027, 3, 1))) == 1
    plans.plan_change(
        plan=plan, actor=settler, arrival_date=dt.date(2027, 2, 15), today=dt.date(2027, 3, 1)
    )
    assert follow_up_sweep(now=at(dt.date(2027, 3, 1))) == 0  # now due 15 March
    assert follow_up_sweep(now=at(dt.date(2027, 3, 15))) == 1


def test_the_job_is_registered() -> None:
    assert "passage.settlement.tasks.follow_up_alerts" in settings.PASSAGE_PERIODIC_JOBS
