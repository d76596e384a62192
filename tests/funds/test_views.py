"""The finance area and the Budget tab: a caseworker asks for a line, finance approves it and
records a payment, an overspend is refused on the page with a clear message (400), and the
notes and references show only after an audited read."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.funds import services
from passage.funds.models import BudgetLine, Disbursement, Fund
from tests.cases.views.conftest import NAME, Signed
from tests.cases.views.support import field_error, page, post, reads, text_of, top_errors
from tests.funds.conftest import LineMaker

pytestmark = pytest.mark.django_db


def budget_url(case: Case) -> str:
    return reverse("funds:budget", args=[case.pk])


def test_finance_creates_a_fund_and_deposits(signed_in: Signed, finance: User) -> None:
    client = signed_in(finance)
    assert "No fund exists yet." in page(client, reverse("funds:index"))
    response = post(
        client,
        reverse("funds:fund-new"),
        {
            "name": "Chechnya emergency fund",
            "programme": "",
            "currency": "EUR",
            "four_eyes": "2000",
        },
    )
    assert response.status_code == 302
    fund = Fund.objects.get()
    assert fund.four_eyes_minor == 200_000
    response = post(
        client,
        reverse("funds:deposit", args=[fund.pk]),
        {"amount": "4500,50", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert services.balance_of(fund) == 450_050
    content = page(client, reverse("funds:fund", args=[fund.pk]))
    assert "4,500.50 EUR" in content
    assert "Money" in page(client, reverse("funds:index"))


def test_a_bad_amount_is_a_400_next_to_the_field(
    signed_in: Signed, fund: Fund, finance: User
) -> None:
    client = signed_in(finance)
    response = post(
        client,
        reverse("funds:deposit", args=[fund.pk]),
        {"amount": "12.345", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "2 decimal places at most" in field_error(text_of(response), "amount")


def test_the_caseworker_asks_for_a_line_on_the_budget_tab(
    signed_in: Signed, caseworker: User, north_case: Case, fund: Fund
) -> None:
    client = signed_in(caseworker)
    content = page(client, budget_url(north_case))
    assert "Ask for a budget line" in content
    assert 'href="/staff/finance/' not in content  # no finance link for a caseworker
    response = post(
        client,
        reverse("funds:line-add", args=[north_case.pk]),
        {"fund": str(fund.pk), "category": "airfare", "estimate": "850", "note": "Via Baku"},
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(case=north_case)
    assert (line.estimate, line.status) == (85_000, "estimated")
    content = page(client, budget_url(north_case))
    assert "850.00 EUR" in content and "Via Baku" not in content
    # Deciding is finance's: a 404 for the caseworker.
    assert (
        client.get(reverse("funds:line-decide", args=[north_case.pk, line.pk])).status_code == 404
    )


def test_notes_show_after_an_audited_read(
    signed_in: Signed, caseworker: User, north_case: Case, fund: Fund
) -> None:
    services.line_add(
        case=north_case,
        fund=fund,
        category="medical",
        estimate=100,
        note="HIV clinic",
        actor=caseworker,
    )
    client = signed_in(caseworker)
    before = len(reads(north_case, "budget"))
    response = post(client, budget_url(north_case))
    assert response.status_code == 200
    assert "HIV clinic" in text_of(response)
    assert len(reads(north_case, "budget")) == before + 1


def test_finance_approves_and_pays_and_an_overspend_is_refused(
    signed_in: Signed, caseworker: User, finance: User, north_case: Case, fund: Fund
) -> None:
    line = services.line_add(
        case=north_case, fund=fund, category="airfare", estimate=85_000, actor=caseworker
    )
    client = signed_in(finance)
    index = page(client, reverse("funds:index"))
    assert north_case.reference in index and NAME not in index
    decide = reverse("funds:line-decide", args=[north_case.pk, line.pk])
    assert post(client, decide, {"decision": "approve"}).status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).status == "approved"
    pay = reverse("funds:disburse", args=[north_case.pk, line.pk])
    today = timezone.localdate().isoformat()
    form = {"amount": "600", "paid_currency": "EUR", "paid_on": today, "method": "cash"}
    assert post(client, pay, form).status_code == 302
    response = post(client, pay, {**form, "amount": "250.01", "reference": "R-1"})
    assert response.status_code == 400
    [message] = top_errors(text_of(response))
    assert "overspend the approved line: 250.00 EUR is left" in message
    assert Disbursement.objects.filter(line=line).count() == 1
    # Paid in roubles at a rate: converted and kept.
    rub = {**form, "amount": "20000", "paid_currency": "RUB", "rate": "0.0102"}
    assert post(client, pay, rub).status_code == 302
    assert Disbursement.objects.filter(line=line, paid_currency="RUB", amount=20_400).exists()
    assert "paid 20,000.00 RUB at 0.0102" in page(client, budget_url(north_case))


def test_a_foreign_payment_needs_its_rate(
    signed_in: Signed, finance: User, north_case: Case, fund: Fund, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 10_000)
    response = post(
        signed_in(finance),
        reverse("funds:disburse", args=[north_case.pk, line.pk]),
        {
            "amount": "10",
            "paid_currency": "USD",
            "paid_on": timezone.localdate().isoformat(),
            "method": "card",
        },
    )
    assert response.status_code == 400
    assert "rate" in field_error(text_of(response), "rate")


def test_the_requester_sees_why_they_cannot_approve(
    signed_in: Signed, finance: User, north_case: Case, fund: Fund
) -> None:
    line = services.line_add(
        case=north_case, fund=fund, category="other", estimate=100, actor=finance
    )
    client = signed_in(finance)
    content = page(client, reverse("funds:line-decide", args=[north_case.pk, line.pk]))
    assert "a different person must approve it" in content
    response = post(
        client,
        reverse("funds:line-decide", args=[north_case.pk, line.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 400
    assert BudgetLine.objects.get(pk=line.pk).status == "estimated"


def test_finance_pages_are_404_to_others_and_for_other_desks(
    signed_in: Signed,
    caseworker: User,
    colleague: User,
    south_case: Case,
    finance: User,
    fund: Fund,
) -> None:
    assert signed_in(caseworker).get(reverse("funds:index")).status_code == 404
    line = services.line_add(
        case=south_case, fund=fund, category="other", estimate=100, actor=colleague
    )
    client = signed_in(finance)  # finance of the North desk only
    assert client.get(budget_url(south_case)).status_code == 404
    decide = reverse("funds:line-decide", args=[south_case.pk, line.pk])
    assert client.get(decide).status_code == 404


def test_finance_closes_an_approved_line(
    signed_in: Signed, finance: User, north_case: Case, fund: Fund, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 10_000)
    client = signed_in(finance)
    close = reverse("funds:line-close", args=[north_case.pk, line.pk])
    assert "no longer committed" in page(client, close)
    assert post(client, close).status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).status == "closed"
    assert client.get(close).status_code == 404
