"""disbursement_record: only on an approved line, never beyond what is left of the line or of
the fund's balance, conversions kept with their rate, references encrypted, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.exceptions import NotAllowed
from passage.cases.models import Case
from passage.funds import money, services
from passage.funds.exceptions import FundsRefused
from passage.funds.models import BudgetLine, Disbursement, Fund, FundEntry
from tests.cases.helpers import audit_entries, audit_text, raw_value
from tests.funds.conftest import LineMaker

pytestmark = pytest.mark.django_db

REFERENCE = "WU-7731-99812"


def _pay(line: BudgetLine, actor: User, amount: int | None, **extra: object) -> Disbursement:
    return services.disbursement_record(
        line=line,
        amount=amount,
        paid_on=timezone.localdate(),
        method="transfer_service",
        reference=REFERENCE,
        actor=actor,
        **extra,  # type: ignore[arg-type]
    )


def test_a_disbursement_is_on_the_ledger_encrypted_and_audited(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 80_000)
    paid = _pay(line, finance, 30_000)
    assert services.spent_on(line) == 30_000
    assert services.balance_of(fund) == 1_000_000 - 30_000
    entry = FundEntry.objects.get(disbursement=paid)
    assert (entry.kind, entry.amount) == (FundEntry.Kind.DISBURSEMENT, -30_000)
    assert REFERENCE.encode() not in raw_value("funds_disbursement", "reference", paid.pk)
    assert Disbursement.objects.get(pk=paid.pk).reference == REFERENCE
    assert len(audit_entries("funds.disbursed", paid.pk)) == 1
    assert REFERENCE not in audit_text()
    assert "30000" not in audit_text()  # no amounts in the audit log


def test_overspending_the_approved_line_is_refused(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 80_000)
    _pay(line, finance, 50_000)
    with pytest.raises(FundsRefused) as refused:
        _pay(line, finance, 30_001)
    assert "overspend the approved line: 300.00 EUR is left" in str(refused.value)
    assert services.spent_on(line) == 50_000
    _pay(line, finance, 30_000)  # exactly what is left
    assert services.spent_on(line) == 80_000


def test_a_spent_fund_commits_no_more(
    north_case: Case, finance: User, finance2: User, caseworker: User
) -> None:
    small = services.fund_create(
        name="Small",
        programme="",
        currency="EUR",
        desk=None,
        four_eyes_minor=None,
        actor=finance,
    )
    services.fund_deposit(fund=small, amount=20_000, on=timezone.localdate(), actor=finance)
    line = services.line_add(
        case=north_case, fund=small, category="medical", estimate=20_000, actor=caseworker
    )
    services.line_decide(line=line, approve=True, actor=finance)
    _pay(line, finance2, 20_000)
    assert services.balance_of(small) == 0
    more = services.line_add(
        case=north_case, fund=small, category="other", estimate=1, actor=caseworker
    )
    with pytest.raises(FundsRefused, match="cannot cover"):
        services.line_decide(line=more, approve=True, actor=finance)


def test_the_balance_refuses_a_payment_it_does_not_hold(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 90_000)
    # Money that left the fund without an approval check (recorded straight in the ledger,
    # as a migration from the old spreadsheet would): the balance is below the line's rest.
    other = approved_line(north_case, fund, 10_000)
    legacy = Disbursement.objects.create(
        case=north_case,
        line=other,
        paid_on=timezone.localdate(),
        amount=950_000,
        method="bank",
        recorded_by=finance,
    )
    FundEntry.objects.create(
        fund=fund,
        kind="disbursement",
        amount=-950_000,
        on=timezone.localdate(),
        disbursement=legacy,
    )
    assert services.balance_of(fund) == 50_000
    with pytest.raises(FundsRefused) as refused:
        _pay(line, finance, 60_000)
    assert "balance is 500.00 EUR, the payment is 600.00 EUR" in str(refused.value)
    _pay(line, finance, 50_000)
    assert services.balance_of(fund) == 0


def test_paying_needs_an_approved_line_and_finance(
    north_case: Case, fund: Fund, finance: User, caseworker: User, finance2: User
) -> None:
    line = services.line_add(
        case=north_case, fund=fund, category="airfare", estimate=10_000, actor=caseworker
    )
    with pytest.raises(FundsRefused, match="approved line"):
        _pay(line, finance, 1_000)
    services.line_decide(line=line, approve=True, actor=finance)
    with pytest.raises(NotAllowed):
        _pay(line, caseworker, 1_000)
    services.line_close(line=line, actor=finance2)
    with pytest.raises(FundsRefused, match="approved line"):
        _pay(line, finance, 1_000)
    assert not Disbursement.objects.exists()


def test_a_payment_is_not_recorded_before_it_happens(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 10_000)
    with pytest.raises(FundsRefused, match="future"):
        services.disbursement_record(
            line=line,
            amount=1_000,
            paid_on=timezone.localdate() + dt.timedelta(days=1),
            method="cash",
            actor=finance,
        )


def test_a_payment_in_another_currency_keeps_its_rate(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 20_000)
    paid = _pay(line, finance, None, paid=money.Money(1_500_000, "RUB"), rate=Decimal("0.0102"))
    stored = Disbursement.objects.get(pk=paid.pk)
    assert (stored.amount, stored.paid_amount, stored.paid_currency, stored.rate) == (
        15_300,
        1_500_000,
        "RUB",
        "0.0102",
    )
    with pytest.raises(FundsRefused, match="rate"):
        _pay(line, finance, None, paid=money.Money(100, "RUB"))
    # Converted, the payment still counts against the line in the fund's currency.
    with pytest.raises(FundsRefused, match="overspend"):
        _pay(line, finance, None, paid=money.Money(500_000, "RUB"), rate=Decimal("0.0102"))
