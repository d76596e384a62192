"""The settlement worker's list of follow-ups due (/staff/settlement/): overdue and due in the
next 14 days, on the cases of the worker's desks only; chosen names only where they work the
case, recorded as reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.settlement import queries
from passage.settlement.models import FollowUp
from passage.settlement.services import plans
from tests.cases.views.conftest import NAME, Signed
from tests.cases.views.support import name_reads, page
from tests.settlement.conftest import MakePlan

pytestmark = pytest.mark.django_db

URL = "/staff/settlement/"


def due_months(user: User, today: dt.date) -> list[int]:
    return [row.follow_up.months for row in queries.due_follow_ups(user, today=today)]


def test_exactly_the_follow_ups_overdue_or_due_in_14_days(
    arrived_case: Case, make_plan: MakePlan, settler: User
) -> None:
    plan = make_plan(arrived_case)  # due 28 Feb, 30 Apr, 31 Jul 2027, 31 Jan 2028
    assert due_months(settler, dt.date(2027, 2, 13)) == []  # 15 days before the first
    assert due_months(settler, dt.date(2027, 2, 14)) == [1]  # 14 days before
    assert due_months(settler, dt.date(2027, 4, 16)) == [1, 3]  # the first overdue
    done = FollowUp.objects.get(plan=plan, months=1)
    plans.follow_up_record(follow_up=done, actor=settler, status="done", today=dt.date(2027, 4, 16))
    skipped = FollowUp.objects.get(plan=plan, months=3)
    plans.follow_up_record(
        follow_up=skipped, actor=settler, status="skipped", today=dt.date(2027, 4, 16)
    )
    assert due_months(settler, dt.date(2027, 4, 16)) == []
    assert due_months(settler, dt.date(2028, 3, 1)) == [6, 12]


def test_a_worker_of_another_desk_sees_nothing(
    arrived_case: Case,
    make_plan: MakePlan,
    settler: User,
    settler_south: User,
    colleague: User,
    break_glass: User,
) -> None:
    make_plan(arrived_case)
    day = dt.date(2028, 3, 1)
    assert due_months(settler, day) == [1, 3, 6, 12]
    assert due_months(settler_south, day) == []
    assert due_months(break_glass, day) == []  # break-glass reads a case, never lists it


def test_the_page_lists_references_and_names_of_the_cases_worked(
    signed_in: Signed,
    arrived_case: Case,
    make_plan: MakePlan,
    settler: User,
    settler_south: User,
) -> None:
    make_plan(arrived_case, arrival_date=dt.date(2026, 10, 15))  # 1 month: overdue on any day now
    shown = page(signed_in(settler), URL)
    assert arrived_case.reference in shown and NAME in shown
    assert reverse("settlement:case", args=[arrived_case.pk]) in shown
    assert "overdue" in shown
    assert name_reads(arrived_case) == 1
    other = page(signed_in(settler_south), URL)
    assert arrived_case.reference not in other and NAME not in other
    assert "No follow-up is due" in other


def test_the_page_is_for_settlement_workers(
    signed_in: Signed, caseworker: User, outsider: Client
) -> None:
    assert signed_in(caseworker).get(URL).status_code == 404
    response = outsider.get(URL)
    assert response.status_code == 302 and "next=" in response["Location"]


def test_settlement_is_in_the_navigation_for_settlement_workers(
    signed_in: Signed, settler: User, caseworker: User
) -> None:
    assert f'href="{URL}"' in page(signed_in(settler), "/staff/home/")
    assert f'href="{URL}"' not in page(signed_in(caseworker), "/staff/home/")
