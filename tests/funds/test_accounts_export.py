"""The bookkeeper's CSV: totals by fund, month, kind and category; no case, person or payment
reference in it; finance only, after a fresh second factor, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import NotAllowed
from passage.cases.models import Case
from passage.funds import services
from passage.funds.models import Fund
from tests.cases.views.conftest import NAME, Signed
from tests.cases.views.support import page, post
from tests.funds.conftest import LineMaker

pytestmark = pytest.mark.django_db


def test_the_csv_sums_by_fund_month_kind_and_category(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    today = timezone.localdate()
    earlier = today - dt.timedelta(days=40)
    air = approved_line(north_case, fund, 90_000, "airfare")
    med = approved_line(north_case, fund, 10_000, "medical")
    for line, amount, on in ((air, 30_000, earlier), (air, 20_005, today), (med, 9_000, today)):
        services.disbursement_record(
            line=line,
            amount=amount,
            paid_on=on,
            method="bank",
            reference="IBAN-SECRET-1",
            actor=finance,
        )
    services.fund_create(
        name="=HYPERLINK(1)",
        programme="",
        currency="JPY",
        desk=None,
        four_eyes_minor=None,
        actor=finance,
    )
    data = services.accounting_export(actor=finance).decode()
    table = list(csv.reader(io.StringIO(data)))
    assert table[0] == ["fund", "currency", "month", "kind", "category", "amount", "entries"]
    name = "Chechnya emergency fund"
    assert sorted(table[1:]) == sorted(
        [
            [name, "EUR", today.strftime("%Y-%m"), "deposit", "", "10000.00", "1"],
            [name, "EUR", earlier.strftime("%Y-%m"), "disbursement", "airfare", "300.00", "1"],
            [name, "EUR", today.strftime("%Y-%m"), "disbursement", "airfare", "200.05", "1"],
            [name, "EUR", today.strftime("%Y-%m"), "disbursement", "medical", "90.00", "1"],
        ]
    )
    for secret in (north_case.reference, NAME, "IBAN-SECRET-1", str(north_case.pk)):
        assert secret not in data
    assert AuditEntry.objects.filter(action="funds.accounts_exported").count() == 1


def test_formula_cells_are_defused(finance: User) -> None:
    fund = services.fund_create(
        name="=cmd|calc",
        programme="",
        currency="EUR",
        desk=None,
        four_eyes_minor=None,
        actor=finance,
    )
    services.fund_deposit(fund=fund, amount=100, on=timezone.localdate(), actor=finance)
    data = services.accounting_export(actor=finance).decode()
    assert "\n'=cmd|calc,EUR," in data


def test_only_finance_exports(caseworker: User) -> None:
    with pytest.raises(NotAllowed):
        services.accounting_export(actor=caseworker)
    assert not AuditEntry.objects.filter(action="funds.accounts_exported").exists()


def test_the_page_downloads_the_csv_on_post(signed_in: Signed, fund: Fund, finance: User) -> None:
    client = signed_in(finance)
    assert "no case reference" in page(client, reverse("funds:accounts"))
    response = post(client, reverse("funds:accounts"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    assert b"Chechnya emergency fund,EUR" in response.content
