"""Monthly stipends: scheduled within what is left of the line, paid one month at a time
through the disbursement rules, ended early, and a reminder to finance before each payment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.cases.models import Case
from passage.funds import services, stipends
from passage.funds.exceptions import FundsRefused
from passage.funds.models import BudgetLine, Disbursement, Fund, Stipend
from tests.cases.helpers import audit_entries
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, post
from tests.funds.conftest import LineMaker

pytestmark = pytest.mark.django_db


def test_month_after_keeps_the_day_or_the_months_last() -> None:
    assert stipends.month_after(dt.date(2026, 1, 31), 31) == dt.date(2026, 2, 28)
    assert stipends.month_after(dt.date(2026, 2, 28), 31) == dt.date(2026, 3, 31)
    assert stipends.month_after(dt.date(2026, 12, 15), 15) == dt.date(2027, 1, 15)
    dates = stipends.payment_dates(dt.date(2026, 1, 31), dt.date(2026, 4, 30))
    assert dates == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]


def _schedule(line: BudgetLine, actor: User, amount: int, months: int) -> Stipend:
    first = timezone.localdate()
    last = first
    for _ in range(months - 1):
        last = stipends.month_after(last, first.day)
    return stipends.stipend_schedule(
        line=line,
        amount=amount,
        first_due=first,
        ends_on=last,
        method="transfer_service",
        actor=actor,
    )


def test_a_schedule_cannot_overspend_its_line(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 60_000, "basic_goods")
    with pytest.raises(FundsRefused, match="would overspend the approved line"):
        _schedule(line, finance, 20_000, 4)
    stipend = _schedule(line, finance, 20_000, 3)
    assert len(audit_entries("funds.stipend_scheduled", stipend.pk)) == 1
    with pytest.raises(FundsRefused, match=r" 0\.00 EUR is left"):
        _schedule(line, finance, 1, 1)  # the first stipend plans the whole line


def test_payments_move_on_a_month_and_stop_at_the_end(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 40_000, "accommodation")
    stipend = _schedule(line, finance, 20_000, 2)
    first_due = stipend.next_due
    assert first_due is not None
    stipends.stipend_pay(stipend=stipend, actor=finance)
    stipend.refresh_from_db()
    assert stipend.next_due == stipends.month_after(first_due, first_due.day)
    stipends.stipend_pay(stipend=stipend, actor=finance)
    stipend.refresh_from_db()
    assert stipend.next_due is None
    assert Disbursement.objects.filter(line=line).count() == 2
    assert services.spent_on(line) == 40_000
    with pytest.raises(FundsRefused, match="no payment left"):
        stipends.stipend_pay(stipend=stipend, actor=finance)


def test_ending_a_stipend_stops_its_payments(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 40_000)
    stipend = stipends.stipend_end(stipend=_schedule(line, finance, 20_000, 2), actor=finance)
    assert stipend.next_due is None and stipend.ended_at is not None
    # What it planned is free again.
    _schedule(line, finance, 40_000, 1)


def test_finance_is_reminded_once_before_each_payment(
    north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 40_000)
    stipend = _schedule(line, finance, 20_000, 2)
    due = stipend.next_due
    assert due is not None
    before = due - dt.timedelta(days=stipends.REMIND_DAYS + 1)
    assert stipends.stipend_reminders_sweep(today=before) == 0
    assert stipends.stipend_reminders_sweep(today=due - dt.timedelta(days=1)) == 1
    assert stipends.stipend_reminders_sweep(today=due) == 0  # once per payment
    [alert] = Alert.objects.filter(code=kinds.STIPEND_DUE)
    assert alert.case_reference == north_case.reference
    assert (alert.target_role, alert.target_desk_id) == ("finance", north_case.desk_id)
    stipends.stipend_pay(stipend=stipend, actor=finance)
    stipend.refresh_from_db()
    assert stipend.next_due is not None
    assert stipends.stipend_reminders_sweep(today=stipend.next_due) == 1  # the next payment


def test_the_budget_tab_schedules_and_pays(
    signed_in: Signed, north_case: Case, fund: Fund, finance: User, approved_line: LineMaker
) -> None:
    line = approved_line(north_case, fund, 30_000, "basic_goods")
    client = signed_in(finance)
    today = timezone.localdate()
    response = post(
        client,
        reverse("funds:stipend-add", args=[north_case.pk, line.pk]),
        {
            "amount": "150",
            "first_due": today.isoformat(),
            "ends_on": today.isoformat(),
            "method": "cash",
        },
    )
    assert response.status_code == 302
    stipend = Stipend.objects.get()
    content = page(client, reverse("funds:budget", args=[north_case.pk]))
    assert "Monthly stipends" in content and "150.00 EUR" in content
    pay = reverse("funds:stipend-pay", args=[north_case.pk, stipend.pk])
    assert "Record the payment" in page(client, pay)
    assert post(client, pay).status_code == 302
    assert services.spent_on(line) == 15_000
    assert client.get(pay).status_code == 404  # nothing more is due
