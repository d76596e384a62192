"""Fixtures for the funds tests: two finance officers on the North desk, a funded EUR fund and a
North case (from the cases fixtures), and a helper that takes a line through approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.funds import services
from passage.funds.models import BudgetLine, Fund
from tests.cases.conftest import open_case, partner_org  # noqa: F401 -- fixtures
from tests.cases.views.conftest import north_case, south_case  # noqa: F401 -- fixtures
from tests.personas import make_staff

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def finance(desk_north: Desk) -> User:
    return make_staff("finance-1", Role.FINANCE, desks=(desk_north,))


@pytest.fixture
def finance2(desk_north: Desk) -> User:
    return make_staff("finance-2", Role.FINANCE, desks=(desk_north,))


@pytest.fixture
def fund(finance: User) -> Fund:
    """ "Chechnya emergency fund" in EUR, 10,000.00 deposited; two approvers above 1,000.00."""
    made = services.fund_create(
        name="Chechnya emergency fund",
        programme="Emergency relocation out of the North Caucasus.",
        currency="EUR",
        desk=None,
        four_eyes_minor=100_000,
        actor=finance,
    )
    services.fund_deposit(fund=made, amount=1_000_000, on=timezone.localdate(), actor=finance)
    return made


LineMaker = Callable[..., BudgetLine]


@pytest.fixture
def approved_line(caseworker: User, finance: User, finance2: User) -> LineMaker:
    """A line of ``estimate`` on ``case`` asked by the caseworker, approved by as many finance
    officers as it needs."""

    def make(case: Case, fund: Fund, estimate: int, category: str = "airfare") -> BudgetLine:
        line = services.line_add(
            case=case, fund=fund, category=category, estimate=estimate, actor=caseworker
        )
        for approver in (finance, finance2)[: services.approvals_needed(line)]:
            line = services.line_decide(line=line, approve=True, actor=approver)
        assert line.status == BudgetLine.Status.APPROVED
        return line

    return make
