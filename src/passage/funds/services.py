"""Every write of the funds app: funds and deposits, budget lines and their approvals, and
disbursements. Each is audited in its own transaction.

Rules:

- Only holders of ``Perm.FUNDS_APPROVE`` create funds, record deposits, approve or reject
  lines and record disbursements; on a case they must work it (its desk or its assignee), as
  for any case action. Anyone who works a case may ask for a budget line.
- The person who asked for a line never approves it. Above the fund's four-eyes threshold
  (``Fund.threshold``: the fund's own, else ``PASSAGE_FOUR_EYES_MINOR``) it needs two different
  approvers; the last approval is refused when the fund's available money (balance minus what
  approved lines still commit) does not cover the line.
- A disbursement is refused beyond what is left of its approved line or beyond the fund's
  balance. The fund row and then the line row are locked (``select_for_update``), always in
  that order, so two disbursements (or a disbursement and an approval) cannot both pass on the
  same money.
- Audit entries carry ids and codes only (``funds.line_approved`` of ``budget_line`` <id>), no
  amounts: amounts are not personal data, but the ledger already records them with who and
  when, and the audit log stays a log of actions. Payment references are encrypted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import access, rollups
from passage.cases.exceptions import NotAllowed
from passage.cases.models import Approval, Case
from passage.cases.services import common
from passage.funds import accounting, money
from passage.funds.exceptions import FundsRefused
from passage.funds.models import BudgetLine, Disbursement, Fund, FundEntry, LineApproval

MAX_NOTE = 2000
MAX_REFERENCE = 200


def _require_finance(actor: User) -> None:
    if not actor.may(Perm.FUNDS_APPROVE):
        raise NotAllowed(_("Only finance can do this."))


def lock_fund(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def balance_of(fund: Fund) -> int:
    """Deposits minus disbursements, in minor units (from the ledger)."""
    total = FundEntry.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def spent_on(line: BudgetLine) -> int:
    total = Disbursement.objects.filter(line=line).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def committed_of(fund: Fund, *, excluding: BudgetLine | None = None) -> int:
    """What approved lines of ``fund`` may still spend (their estimate less what they spent)."""
    lines = BudgetLine.objects.filter(fund=fund, status=BudgetLine.Status.APPROVED)
    if excluding is not None:
        lines = lines.exclude(pk=excluding.pk)
    spent = {
        row["line"]: int(row["total"] or 0)
        for row in Disbursement.objects.filter(line__in=lines)
        .values("line")
        .annotate(total=Sum("amount"))
    }
    return sum(max(int(line.estimate) - spent.get(line.pk, 0), 0) for line in lines)


def fund_create(
    *,
    name: str,
    programme: str,
    currency: str,
    desk: Desk | None,
    four_eyes_minor: int | None,
    actor: User,
    emergency: bool = False,
    request_id: str | None = None,
) -> Fund:
    """A new fund; ``emergency``: the one the emergency track draws on (in its currency)."""
    _require_finance(actor)
    name = name.strip()
    if not name:
        raise FundsRefused(_("Give the fund a name."))
    if currency not in money.EXPONENTS:
        raise FundsRefused(_("Choose the fund's currency."))
    with audit.atomic():
        if Fund.objects.filter(name__iexact=name).exists():
            raise FundsRefused(_("A fund with this name exists already."))
        if emergency and currency != settings.PASSAGE_EMERGENCY_CURRENCY:
            raise FundsRefused(
                _("The emergency fund is in %(currency)s, the emergency help's currency.")
                % {"currency": settings.PASSAGE_EMERGENCY_CURRENCY}
            )
        if emergency and Fund.objects.filter(is_emergency=True).exists():
            raise FundsRefused(_("There is an emergency fund already."))
        fund = Fund.objects.create(
            name=name,
            programme=programme.strip(),
            currency=currency,
            desk=desk,
            four_eyes_minor=four_eyes_minor,
            is_emergency=emergency,
            created_by=actor,
        )
        common.record_object(actor, "funds.fund_created", "fund", fund.pk, request_id)
    return fund


def fund_deposit(
    *, fund: Fund, amount: int, on: dt.date, actor: User, request_id: str | None = None
) -> FundEntry:
    """Money received into ``fund`` (minor units of its currency)."""
    _require_finance(actor)
    if amount <= 0:
        raise FundsRefused(_("A deposit is more than zero."))
    with audit.atomic():
        locked = lock_fund(fund)
        entry = FundEntry.objects.create(
            fund=locked, kind=FundEntry.Kind.DEPOSIT, amount=amount, on=on, recorded_by=actor
        )
        common.record_object(actor, "funds.deposit_recorded", "fund", locked.pk, request_id)
    return entry


def line_add(
    *,
    case: Case,
    fund: Fund,
    category: str,
    estimate: int,
    note: str = "",
    actor: User,
    request_id: str | None = None,
) -> BudgetLine:
    """Ask for a budget line on ``case`` (an estimate in the fund's currency)."""
    perm = Perm.FUNDS_APPROVE if actor.may(Perm.FUNDS_APPROVE) else Perm.CASES_WORK
    access.require_working(actor, case, perm)
    if category not in BudgetLine.Category.values:
        raise FundsRefused(_("Choose what the money is for."))
    if estimate <= 0:
        raise FundsRefused(_("The estimate is more than zero."))
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise FundsRefused(_("The note is too long."))
    if fund.desk_id is not None and fund.desk_id != case.desk_id:
        raise FundsRefused(_("This fund is restricted to another desk's cases."))
    with audit.atomic():
        locked = common.lock(case)
        if locked.is_frozen:
            raise FundsRefused(_("The case is frozen."))
        last = BudgetLine.objects.filter(case=locked).aggregate(last=Max("number"))["last"]
        line = BudgetLine.objects.create(
            case=locked,
            fund=fund,
            number=int(last or 0) + 1,
            category=category,
            estimate=estimate,
            requested_by=actor,
            note=note or None,
        )
        common.record_object(actor, "funds.line_requested", "budget_line", line.pk, request_id)
    return line


def approvals_needed(line: BudgetLine) -> int:
    return 2 if int(line.estimate) > line.fund.threshold else 1


def decision_refusal(line: BudgetLine, actor: User) -> str | None:
    """Why ``actor`` may not decide ``line`` now (a message), or None."""
    if not actor.may(Perm.FUNDS_APPROVE):
        return _("Only finance approves budget lines.")
    if line.status != BudgetLine.Status.ESTIMATED:
        return _("This line was decided already.")
    if line.requested_by_id == actor.pk:
        return _("You asked for this line: a different person must approve it.")
    if line.approvals.filter(approver=actor).exists():
        return _("You approved this line already: a second, different person must approve it.")
    return None


def line_decide(
    *,
    line: BudgetLine,
    approve: bool,
    actor: User,
    request_id: str | None = None,
) -> BudgetLine:
    """Approve (one of the one or two approvals needed) or reject a waiting line."""
    access.require_working(actor, line.case, Perm.FUNDS_APPROVE)
    with audit.atomic():
        fund = lock_fund(line.fund)
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        locked.fund = fund
        refusal = decision_refusal(locked, actor)
        if refusal:
            raise FundsRefused(refusal)
        if not approve:
            locked.status = BudgetLine.Status.REJECTED
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_at"])
            common.record_object(actor, "funds.line_rejected", "budget_line", locked.pk, request_id)
            return locked
        if locked.case.is_frozen:
            raise FundsRefused(_("The case is frozen."))
        given = locked.approvals.count() + 1
        if given >= approvals_needed(locked):
            available = balance_of(fund) - committed_of(fund)
            if int(locked.estimate) > available:
                raise FundsRefused(
                    _(
                        "The fund cannot cover this line: %(available)s is available "
                        "(balance less approved lines), the line needs %(estimate)s."
                    )
                    % {
                        "available": money.format_minor(available, fund.currency),
                        "estimate": money.format_minor(int(locked.estimate), fund.currency),
                    }
                )
        LineApproval.objects.create(line=locked, approver=actor)
        if given >= approvals_needed(locked):
            locked.status = BudgetLine.Status.APPROVED
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_at"])
            common.record_object(actor, "funds.line_approved", "budget_line", locked.pk, request_id)
        else:
            common.record_object(
                actor, "funds.line_first_approval", "budget_line", locked.pk, request_id
            )
    return locked


def line_close(*, line: BudgetLine, actor: User, request_id: str | None = None) -> BudgetLine:
    """Close an approved line: what it did not spend is no longer committed."""
    access.require_working(actor, line.case, Perm.FUNDS_APPROVE)
    with audit.atomic():
        lock_fund(line.fund)
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        if locked.status != BudgetLine.Status.APPROVED:
            raise FundsRefused(_("Only an approved line can be closed."))
        locked.status = BudgetLine.Status.CLOSED
        locked.save(update_fields=["status"])
        common.record_object(actor, "funds.line_closed", "budget_line", locked.pk, request_id)
    return locked


def disbursement_record(
    *,
    line: BudgetLine,
    amount: int | None,
    paid_on: dt.date,
    method: str,
    reference: str = "",
    paid: money.Money | None = None,
    rate: Decimal | None = None,
    actor: User,
    request_id: str | None = None,
) -> Disbursement:
    """Record money paid out on an approved line.

    ``amount`` is in the fund's currency; or give ``paid`` (another currency) and ``rate``
    (fund units per paid unit) and the amount is converted, the rate kept with it.
    """
    access.require_working(actor, line.case, Perm.FUNDS_APPROVE)
    if method not in Disbursement.Method.values:
        raise FundsRefused(_("Choose how the money was paid."))
    reference = reference.strip()
    if len(reference) > MAX_REFERENCE:
        raise FundsRefused(_("The reference is too long."))
    if paid_on > timezone.localdate():
        raise FundsRefused(_("A disbursement is recorded once paid: the date is in the future."))
    with audit.atomic():
        fund = lock_fund(line.fund)
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        # Reports count the cases each fund paid for (cases.rollups): the case row is locked
        # so two payments at once cannot both count the case as new to the fund.
        counted = rollups.before(common.lock(locked.case).pk)
        if paid is not None and paid.currency != fund.currency:
            if rate is None:
                raise FundsRefused(_("Give the rate used to convert the payment."))
            amount = money.convert(paid, rate, fund.currency).minor
        elif paid is not None:
            amount, paid, rate = paid.minor, None, None
        if amount is None or amount <= 0:
            raise FundsRefused(_("The amount is more than zero."))
        if locked.status != BudgetLine.Status.APPROVED:
            raise FundsRefused(_("Money is paid only on an approved line."))
        if locked.case.is_frozen:
            raise FundsRefused(_("The case is frozen."))
        left = int(locked.estimate) - spent_on(locked)
        if amount > left:
            raise FundsRefused(
                _(
                    "This would overspend the approved line: %(left)s is left of it, the "
                    "payment is %(amount)s. Ask for a new line for the rest."
                )
                % {
                    "left": money.format_minor(left, fund.currency),
                    "amount": money.format_minor(amount, fund.currency),
                }
            )
        balance = balance_of(fund)
        if amount > balance:
            raise FundsRefused(
                _(
                    "The fund does not have this money: its balance is %(balance)s, the payment "
                    "is %(amount)s."
                )
                % {
                    "balance": money.format_minor(balance, fund.currency),
                    "amount": money.format_minor(amount, fund.currency),
                }
            )
        paid_fields: dict[str, object] = {}
        if paid is not None and rate is not None:
            paid_fields = {
                "paid_amount": paid.minor,
                "paid_currency": paid.currency,
                "rate": str(rate),
            }
        disbursement = Disbursement.objects.create(
            case_id=locked.case_id,
            line=locked,
            paid_on=paid_on,
            amount=amount,
            method=method,
            reference=reference or None,
            recorded_by=actor,
            **paid_fields,
        )
        FundEntry.objects.create(
            fund=fund,
            kind=FundEntry.Kind.DISBURSEMENT,
            amount=-amount,
            on=paid_on,
            recorded_by=actor,
            disbursement=disbursement,
        )
        common.record_object(actor, "funds.disbursed", "disbursement", disbursement.pk, request_id)
        rollups.after(counted)
    return disbursement


def accounting_export(*, actor: User, request_id: str | None = None) -> bytes:
    """The bookkeeper's CSV (``passage.funds.accounting``), its export audited."""
    _require_finance(actor)
    with audit.atomic():
        data = accounting.as_csv()
        audit.record(
            actor=common.actor_of(actor),
            action="funds.accounts_exported",
            object_type="fund",
            object_id="all",
            request_id=request_id,
        )
    return data


# What each emergency purpose is paid as.
EMERGENCY_CATEGORY: dict[str, str] = {
    Approval.Purpose.TRANSPORT: BudgetLine.Category.AIRFARE,
    Approval.Purpose.SHELTER: BudgetLine.Category.ACCOMMODATION,
    Approval.Purpose.PHONE: BudgetLine.Category.BASIC_GOODS,
    Approval.Purpose.FOOD: BudgetLine.Category.BASIC_GOODS,
    Approval.Purpose.MEDICAL: BudgetLine.Category.MEDICAL,
    Approval.Purpose.OTHER: BudgetLine.Category.OTHER,
}


def emergency_draw(
    *,
    approval: Approval,
    paid_on: dt.date,
    method: str,
    reference: str = "",
    actor: User,
    request_id: str | None = None,
) -> Disbursement:
    """Pay approved emergency help from the emergency fund: a line of the approved amount
    (its approval is the emergency approval: two people, one the desk's lead, capped by
    ``PASSAGE_EMERGENCY_CAP``) and its payment, at most once per approval."""
    case = approval.case
    access.require_working(actor, case, Perm.FUNDS_APPROVE)
    with audit.atomic():
        fund = Fund.objects.select_for_update().filter(is_emergency=True).first()
        if fund is None:
            raise FundsRefused(_("No emergency fund is set up: finance creates one first."))
        locked = Approval.objects.select_for_update().get(pk=approval.pk)
        if locked.kind != Approval.Kind.EMERGENCY or locked.status != Approval.Status.APPROVED:
            raise FundsRefused(_("Only approved emergency help is paid from the emergency fund."))
        if BudgetLine.objects.filter(emergency_approval=locked).exists():
            raise FundsRefused(_("This emergency help was paid already."))
        if locked.currency != fund.currency or locked.amount is None:
            raise FundsRefused(_("The emergency fund is in another currency."))
        amount = int(locked.amount) * 10 ** money.exponent(fund.currency)
        available = balance_of(fund) - committed_of(fund)
        if amount > available:
            raise FundsRefused(
                _("The emergency fund cannot cover this: %(available)s is available.")
                % {"available": money.format_minor(available, fund.currency)}
            )
        last = BudgetLine.objects.filter(case_id=locked.case_id).aggregate(last=Max("number"))
        line = BudgetLine.objects.create(
            case_id=locked.case_id,
            fund=fund,
            number=int(last["last"] or 0) + 1,
            category=EMERGENCY_CATEGORY.get(locked.purpose, BudgetLine.Category.OTHER),
            estimate=amount,
            status=BudgetLine.Status.APPROVED,
            requested_by_id=locked.requested_by_id,
            decided_at=locked.decided_at,
            emergency_approval=locked,
        )
        common.record_object(actor, "funds.emergency_drawn", "budget_line", line.pk, request_id)
        paid = disbursement_record(
            line=line,
            amount=amount,
            paid_on=paid_on,
            method=method,
            reference=reference,
            actor=actor,
            request_id=request_id,
        )
    return paid
