"""Budget lines: asked by whoever works the case, approved by finance; the requester never
approves their own line, and above the threshold two different approvers are needed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.cases.exceptions import CaseNotFound, NotAllowed
from passage.cases.models import Case
from passage.funds import services
from passage.funds.exceptions import FundsRefused
from passage.funds.models import BudgetLine, Fund, LineApproval
from tests.cases.helpers import audit_entries, raw_value
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def _ask(case: Case, fund: Fund, actor: User, estimate: int = 50_000) -> BudgetLine:
    return services.line_add(
        case=case,
        fund=fund,
        category="airfare",
        estimate=estimate,
        note="Flight via Baku",
        actor=actor,
    )


def test_a_line_is_numbered_encrypted_and_audited(
    north_case: Case, fund: Fund, caseworker: User
) -> None:
    first = _ask(north_case, fund, caseworker)
    second = _ask(north_case, fund, caseworker)
    assert (first.number, second.number) == (1, 2)
    assert first.status == BudgetLine.Status.ESTIMATED
    assert b"Baku" not in raw_value("funds_budgetline", "note", first.pk)
    assert BudgetLine.objects.get(pk=first.pk).note == "Flight via Baku"
    assert len(audit_entries("funds.line_requested", first.pk)) == 1


def test_only_those_who_work_the_case_ask(north_case: Case, fund: Fund, colleague: User) -> None:
    with pytest.raises(CaseNotFound):
        _ask(north_case, fund, colleague)


def test_a_restricted_fund_serves_only_its_desk(
    north_case: Case, finance: User, desk_south: Desk, caseworker: User
) -> None:
    south_fund = services.fund_create(
        name="South only",
        programme="",
        currency="EUR",
        desk=desk_south,
        four_eyes_minor=None,
        actor=finance,
    )
    with pytest.raises(FundsRefused, match="another desk"):
        _ask(north_case, south_fund, caseworker)


def test_one_approval_below_the_threshold(
    north_case: Case, fund: Fund, caseworker: User, finance: User
) -> None:
    line = _ask(north_case, fund, caseworker, estimate=100_000)  # at the threshold: one
    line = services.line_decide(line=line, approve=True, actor=finance)
    assert line.status == BudgetLine.Status.APPROVED
    assert len(audit_entries("funds.line_approved", line.pk)) == 1


def test_two_different_approvers_above_the_threshold(
    north_case: Case, fund: Fund, caseworker: User, finance: User, finance2: User
) -> None:
    line = _ask(north_case, fund, caseworker, estimate=100_001)
    line = services.line_decide(line=line, approve=True, actor=finance)
    assert line.status == BudgetLine.Status.ESTIMATED
    with pytest.raises(FundsRefused, match="second, different person"):
        services.line_decide(line=line, approve=True, actor=finance)
    line = services.line_decide(line=line, approve=True, actor=finance2)
    assert line.status == BudgetLine.Status.APPROVED
    assert LineApproval.objects.filter(line=line).count() == 2
    assert len(audit_entries("funds.line_first_approval", line.pk)) == 1


def test_the_requester_never_approves_their_own_line(
    north_case: Case, fund: Fund, finance: User
) -> None:
    line = _ask(north_case, fund, finance)
    with pytest.raises(FundsRefused, match="different person"):
        services.line_decide(line=line, approve=True, actor=finance)
    assert BudgetLine.objects.get(pk=line.pk).status == BudgetLine.Status.ESTIMATED


def test_only_finance_decides(
    north_case: Case, fund: Fund, caseworker: User, desk_lead: User
) -> None:
    line = _ask(north_case, fund, caseworker)
    with pytest.raises(NotAllowed):
        services.line_decide(line=line, approve=True, actor=desk_lead)


def test_finance_of_another_desk_cannot_decide(
    north_case: Case, fund: Fund, caseworker: User, desk_south: Desk
) -> None:
    line = _ask(north_case, fund, caseworker)
    southern = make_staff("finance-south", Role.FINANCE, desks=(desk_south,))
    with pytest.raises(CaseNotFound):
        services.line_decide(line=line, approve=True, actor=southern)


def test_a_rejected_line_cannot_be_approved(
    north_case: Case, fund: Fund, caseworker: User, finance: User, finance2: User
) -> None:
    line = _ask(north_case, fund, caseworker)
    services.line_decide(line=line, approve=False, actor=finance)
    with pytest.raises(FundsRefused, match="decided already"):
        services.line_decide(line=line, approve=True, actor=finance2)
    assert len(audit_entries("funds.line_rejected", line.pk)) == 1


def test_approval_is_refused_when_the_fund_cannot_cover_it(
    north_case: Case, fund: Fund, caseworker: User, finance: User, finance2: User
) -> None:
    # 10,000.00 deposited; two lines of 6,000.00: the second would over-commit the fund.
    first = _ask(north_case, fund, caseworker, estimate=600_000)
    services.line_decide(line=first, approve=True, actor=finance)
    services.line_decide(line=first, approve=True, actor=finance2)
    second = _ask(north_case, fund, caseworker, estimate=600_000)
    services.line_decide(line=second, approve=True, actor=finance)
    with pytest.raises(FundsRefused, match=r"4,000\.00 EUR is available"):
        services.line_decide(line=second, approve=True, actor=finance2)
    assert BudgetLine.objects.get(pk=second.pk).status == BudgetLine.Status.ESTIMATED
    # Closing the first line frees what it did not spend.
    services.line_close(line=first, actor=finance)
    services.fund_deposit(fund=fund, amount=1, on=timezone.localdate(), actor=finance)
    assert services.line_decide(line=second, approve=True, actor=finance2).status == "approved"
