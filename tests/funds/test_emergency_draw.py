"""The emergency track draws on the emergency fund: approved emergency help (two people, one
the desk's lead, capped) is paid once, as a line of its amount, from the one emergency fund."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Approval, Case
from passage.cases.services import approvals
from passage.funds import services
from passage.funds.exceptions import FundsRefused
from passage.funds.models import BudgetLine, Fund
from tests.cases.helpers import audit_entries
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, post

pytestmark = pytest.mark.django_db

WHY = "Leaving tonight, the family knows."


def _approved(case: Case, caseworker: User, desk_lead: User, amount: int = 120) -> Approval:
    asked = approvals.emergency_request(
        case=case, amount=amount, purpose="transport", comment=WHY, actor=caseworker
    )
    return approvals.approval_decide(
        approval=asked, approve=True, comment="agreed, buy it", actor=desk_lead
    )


def _emergency_fund(finance: User, amount: int = 50_000) -> Fund:
    fund = services.fund_create(
        name="Emergency",
        programme="",
        currency="EUR",
        desk=None,
        four_eyes_minor=None,
        actor=finance,
        emergency=True,
    )
    services.fund_deposit(fund=fund, amount=amount, on=timezone.localdate(), actor=finance)
    return fund


def _draw(approval: Approval, actor: User) -> object:
    return services.emergency_draw(
        approval=approval, paid_on=timezone.localdate(), method="cash", actor=actor
    )


def test_approved_help_is_paid_once_from_the_emergency_fund(
    north_case: Case, caseworker: User, desk_lead: User, finance: User
) -> None:
    fund = _emergency_fund(finance)
    approval = _approved(north_case, caseworker, desk_lead)
    _draw(approval, finance)
    line = BudgetLine.objects.get(emergency_approval=approval)
    assert (line.fund, line.estimate, line.category, line.status) == (
        fund,
        12_000,
        "airfare",
        "approved",
    )
    assert services.spent_on(line) == 12_000
    assert services.balance_of(fund) == 38_000
    assert len(audit_entries("funds.emergency_drawn", line.pk)) == 1
    with pytest.raises(FundsRefused, match="paid already"):
        _draw(approval, finance)


def test_no_emergency_fund_no_payment(
    north_case: Case, caseworker: User, desk_lead: User, finance: User
) -> None:
    approval = _approved(north_case, caseworker, desk_lead)
    with pytest.raises(FundsRefused, match="No emergency fund"):
        _draw(approval, finance)


def test_the_emergency_fund_must_cover_it(
    north_case: Case, caseworker: User, desk_lead: User, finance: User
) -> None:
    _emergency_fund(finance, amount=5_000)
    approval = _approved(north_case, caseworker, desk_lead)
    with pytest.raises(FundsRefused, match="cannot cover"):
        _draw(approval, finance)
    assert not BudgetLine.objects.exists()


def test_waiting_help_is_not_paid(north_case: Case, caseworker: User, finance: User) -> None:
    _emergency_fund(finance)
    asked = approvals.emergency_request(
        case=north_case, amount=50, purpose="food", comment=WHY, actor=caseworker
    )
    with pytest.raises(FundsRefused, match="Only approved"):
        _draw(asked, finance)


def test_one_emergency_fund_in_the_emergency_currency(finance: User) -> None:
    _emergency_fund(finance)
    with pytest.raises(FundsRefused, match="already"):
        services.fund_create(
            name="Second",
            programme="",
            currency="EUR",
            desk=None,
            four_eyes_minor=None,
            actor=finance,
            emergency=True,
        )
    with pytest.raises(FundsRefused, match="emergency help's currency"):
        services.fund_create(
            name="Dollars",
            programme="",
            currency="USD",
            desk=None,
            four_eyes_minor=None,
            actor=finance,
            emergency=True,
        )


def test_finance_pays_it_from_the_budget_tab(
    signed_in: Signed, north_case: Case, caseworker: User, desk_lead: User, finance: User
) -> None:
    _emergency_fund(finance)
    approval = _approved(north_case, caseworker, desk_lead)
    client = signed_in(finance)
    budget = reverse("funds:budget", args=[north_case.pk])
    assert "Pay from the emergency fund" in page(client, budget)
    pay = reverse("funds:emergency-pay", args=[north_case.pk, approval.pk])
    response = post(
        client,
        pay,
        {"paid_on": timezone.localdate().isoformat(), "method": "cash", "reference": "R-9"},
    )
    assert response.status_code == 302
    assert "Pay from the emergency fund" not in page(client, budget)
    assert client.get(pay).status_code == 404
