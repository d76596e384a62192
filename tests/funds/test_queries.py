"""The fund report (committed, spent, available), the lines waiting for finance and the cost
per person of completed relocations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.funds import queries, services
from passage.funds.models import Fund
from tests.funds.conftest import LineMaker

pytestmark = pytest.mark.django_db


def _pay(line: object, actor: User, amount: int) -> None:
    services.disbursement_record(
        line=line,  # type: ignore[arg-type]
        amount=amount,
        paid_on=timezone.localdate(),
        method="cash",
        actor=actor,
    )


def test_the_report_says_committed_spent_and_available(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker, caseworker: User
) -> None:
    line = approved_line(north_case, fund, 80_000)
    _pay(line, finance, 30_000)
    services.line_add(
        case=north_case, fund=fund, category="other", estimate=5_000, actor=caseworker
    )  # waiting: commits nothing yet
    report = queries.report_of(fund)
    assert (report.deposited, report.spent, report.balance) == (1_000_000, 30_000, 970_000)
    assert report.committed == 50_000
    assert report.available == 920_000
    services.line_close(line=line, actor=finance)
    assert queries.report_of(fund).committed == 0


def test_waiting_lines_are_those_of_finances_desks(
    north_case: Case,
    south_case: Case,
    fund: Fund,
    caseworker: User,
    colleague: User,
    finance: User,
) -> None:
    north = services.line_add(
        case=north_case, fund=fund, category="airfare", estimate=1_000, actor=caseworker
    )
    services.line_add(
        case=south_case, fund=fund, category="airfare", estimate=1_000, actor=colleague
    )
    assert [line.pk for line in queries.lines_awaiting(finance)] == [north.pk]
    services.line_decide(line=north, approve=True, actor=finance)
    assert queries.lines_awaiting(finance) == []


def test_cost_per_person_of_completed_relocations(
    open_case: Callable[..., Case], fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    services.fund_deposit(fund=fund, amount=2_000_000, on=timezone.localdate(), actor=finance)
    costs = {"A": (200_000, 1), "B": (500_000, 1), "C": (800_000, 2), "D": (99_000, 1)}
    for name, (spent, household) in costs.items():
        case = open_case(f"Person {name}")
        line = approved_line(case, fund, spent)
        _pay(line, finance, spent)
        outcome = "" if name == "D" else ("settled" if name == "C" else "relocated")
        Case.objects.filter(pk=case.pk).update(outcome=outcome, household_size=household)
    [cost] = queries.cost_per_person()
    # Per person: 2,000, 5,000, 4,000, 4,000 (C is two people); D is not completed.
    assert (cost.currency, cost.cases, cost.people) == ("EUR", 3, 4)
    assert cost.median == 400_000
    assert cost.mean == 375_000
