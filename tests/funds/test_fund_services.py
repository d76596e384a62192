"""fund_create and fund_deposit: finance only, audited, the balance from the ledger."""

from __future__ import annotations

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.exceptions import NotAllowed
from passage.funds import services
from passage.funds.exceptions import FundsRefused
from passage.funds.models import Fund, FundEntry
from tests.cases.helpers import audit_entries

pytestmark = pytest.mark.django_db


def test_finance_creates_a_fund_and_records_deposits(finance: User) -> None:
    fund = services.fund_create(
        name="Chechnya emergency fund",
        programme="Relocation",
        currency="EUR",
        desk=None,
        four_eyes_minor=None,
        actor=finance,
    )
    assert services.balance_of(fund) == 0
    services.fund_deposit(fund=fund, amount=250_000, on=timezone.localdate(), actor=finance)
    services.fund_deposit(fund=fund, amount=50, on=timezone.localdate(), actor=finance)
    assert services.balance_of(fund) == 250_050
    assert len(audit_entries("funds.fund_created", fund.pk)) == 1
    assert len(audit_entries("funds.deposit_recorded", fund.pk)) == 2


def test_the_threshold_is_the_funds_own_or_the_setting(
    fund: Fund, finance: User, settings: object
) -> None:
    assert fund.threshold == 100_000
    other = services.fund_create(
        name="General",
        programme="",
        currency="USD",
        desk=None,
        four_eyes_minor=None,
        actor=finance,
    )
    settings.PASSAGE_FOUR_EYES_MINOR = 7_000  # type: ignore[attr-defined]
    assert other.threshold == 7_000


def test_only_finance_creates_funds_or_deposits(caseworker: User, fund: Fund) -> None:
    with pytest.raises(NotAllowed):
        services.fund_create(
            name="Mine",
            programme="",
            currency="EUR",
            desk=None,
            four_eyes_minor=None,
            actor=caseworker,
        )
    with pytest.raises(NotAllowed):
        services.fund_deposit(fund=fund, amount=1, on=timezone.localdate(), actor=caseworker)
    assert not Fund.objects.filter(name="Mine").exists()


def test_names_are_unique_and_currencies_known(fund: Fund, finance: User) -> None:
    with pytest.raises(FundsRefused, match="exists already"):
        services.fund_create(
            name="chechnya EMERGENCY fund",
            programme="",
            currency="EUR",
            desk=None,
            four_eyes_minor=None,
            actor=finance,
        )
    with pytest.raises(FundsRefused, match="currency"):
        services.fund_create(
            name="Odd",
            programme="",
            currency="XXX",
            desk=None,
            four_eyes_minor=None,
            actor=finance,
        )


def test_a_deposit_is_positive(fund: Fund, finance: User) -> None:
    with pytest.raises(FundsRefused):
        services.fund_deposit(fund=fund, amount=0, on=timezone.localdate(), actor=finance)
    assert FundEntry.objects.filter(fund=fund).count() == 1
