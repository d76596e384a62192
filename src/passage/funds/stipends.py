"""Monthly stipends: scheduled disbursements on an approved line, with an end date and a
reminder to finance before each payment.

- ``stipend_schedule`` refuses a schedule whose payments together would overspend what is left
  of the line (the line stays the limit, as for any payment).
- ``stipend_pay`` records the next payment through ``services.disbursement_record`` (so every
  overspend rule holds) and moves ``next_due`` on a month (None after the last one).
- ``stipend_reminders_sweep`` (a periodic job) alerts finance on the case's desk
  ``REMIND_DAYS`` before each payment, once per payment.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm, Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.cases import access
from passage.cases.services import common
from passage.funds import money, services
from passage.funds.exceptions import FundsRefused
from passage.funds.models import BudgetLine, Disbursement, Stipend

REMIND_DAYS = 3
MAX_MONTHS = 36


def month_after(date: dt.date, day: int) -> dt.date:
    """The ``day`` of the month after ``date``'s (the month's last day if it is shorter)."""
    year, month = (date.year + 1, 1) if date.month == 12 else (date.year, date.month + 1)
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def payment_dates(first_due: dt.date, ends_on: dt.date) -> list[dt.date]:
    dates: list[dt.date] = []
    due = first_due
    while due <= ends_on and len(dates) <= MAX_MONTHS:
        dates.append(due)
        due = month_after(due, first_due.day)
    return dates


def stipend_schedule(
    *,
    line: BudgetLine,
    amount: int,
    first_due: dt.date,
    ends_on: dt.date,
    method: str,
    actor: User,
    request_id: str | None = None,
) -> Stipend:
    access.require_working(actor, line.case, Perm.FUNDS_APPROVE)
    if amount <= 0:
        raise FundsRefused(_("The monthly amount is more than zero."))
    if method not in Disbursement.Method.values:
        raise FundsRefused(_("Choose how the money is paid."))
    if ends_on < first_due:
        raise FundsRefused(_("The stipend ends after its first payment."))
    dates = payment_dates(first_due, ends_on)
    if len(dates) > MAX_MONTHS:
        raise FundsRefused(_("A stipend runs for three years at most."))
    with audit.atomic():
        fund = services.lock_fund(line.fund)
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        if locked.status != BudgetLine.Status.APPROVED:
            raise FundsRefused(_("A stipend is paid only on an approved line."))
        planned = sum(
            int(s.amount) * len(payment_dates(s.next_due, s.ends_on))
            for s in Stipend.objects.filter(line=locked, next_due__isnull=False)
            if s.next_due is not None
        )
        left = int(locked.estimate) - services.spent_on(locked) - planned
        total = amount * len(dates)
        if total > left:
            raise FundsRefused(
                _(
                    "These %(count)d payments (%(total)s) would overspend the approved line: "
                    "%(left)s is left of it."
                )
                % {
                    "count": len(dates),
                    "total": money.format_minor(total, fund.currency),
                    "left": money.format_minor(left, fund.currency),
                }
            )
        stipend = Stipend.objects.create(
            case_id=locked.case_id,
            line=locked,
            amount=amount,
            method=method,
            day=first_due.day,
            first_due=first_due,
            ends_on=ends_on,
            next_due=first_due,
            created_by=actor,
        )
        audit.record(
            actor=common.actor_of(actor),
            action="funds.stipend_scheduled",
            object_type="stipend",
            object_id=str(stipend.pk),
            request_id=request_id,
        )
    return stipend


def stipend_pay(
    *,
    stipend: Stipend,
    actor: User,
    reference: str = "",
    paid_on: dt.date | None = None,
    request_id: str | None = None,
) -> Disbursement:
    """Record the stipend's next payment and move it on to the month after."""
    access.require_working(actor, stipend.case, Perm.FUNDS_APPROVE)
    with audit.atomic():
        locked = Stipend.objects.select_for_update().get(pk=stipend.pk)
        if locked.next_due is None:
            raise FundsRefused(_("This stipend has no payment left."))
        paid = services.disbursement_record(
            line=locked.line,
            amount=int(locked.amount),
            paid_on=paid_on or timezone.localdate(),
            method=locked.method,
            reference=reference,
            actor=actor,
            request_id=request_id,
        )
        following = month_after(locked.next_due, locked.day)
        locked.next_due = following if following <= locked.ends_on else None
        locked.save(update_fields=["next_due"])
    return paid


def stipend_end(*, stipend: Stipend, actor: User, request_id: str | None = None) -> Stipend:
    """Stop a stipend early (nothing more is due; what was paid stays paid)."""
    access.require_working(actor, stipend.case, Perm.FUNDS_APPROVE)
    with audit.atomic():
        locked = Stipend.objects.select_for_update().get(pk=stipend.pk)
        if locked.next_due is None:
            raise FundsRefused(_("This stipend has ended already."))
        locked.next_due = None
        locked.ended_at = timezone.now()
        locked.save(update_fields=["next_due", "ended_at"])
        audit.record(
            actor=common.actor_of(actor),
            action="funds.stipend_ended",
            object_type="stipend",
            object_id=str(locked.pk),
            request_id=request_id,
        )
    return locked


def stipend_reminders_sweep(*, today: dt.date | None = None) -> int:
    """Alert finance on the case's desk of each payment due within ``REMIND_DAYS`` (or late),
    once per payment. Idempotent; returns how many alerted."""
    day = today or timezone.localdate()
    due = Stipend.objects.filter(
        next_due__isnull=False, next_due__lte=day + dt.timedelta(days=REMIND_DAYS)
    ).select_related("case", "case__desk")
    alerted = 0
    for stipend in due:
        if stipend.reminded_for == stipend.next_due:
            continue
        with audit.atomic():
            claimed = (
                Stipend.objects.filter(pk=stipend.pk, next_due=stipend.next_due)
                .exclude(reminded_for=stipend.next_due)
                .update(reminded_for=stipend.next_due)
            )
            if not claimed:
                continue
            alert_raise(
                code=kinds.STIPEND_DUE,
                severity=Alert.Severity.INFO,
                target_role=Role.FINANCE,
                target_desk=stipend.case.desk,
                case_reference=stipend.case.reference,
                object_type="case",
                object_id=str(stipend.case_id),
                actor="system",
            )
            audit.record(
                actor="system",
                action="funds.stipend_reminded",
                object_type="stipend",
                object_id=str(stipend.pk),
            )
        alerted += 1
    return alerted
