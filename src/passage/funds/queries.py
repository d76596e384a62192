"""Reads of the funds app: fund reports, the lines waiting for finance, a case's budget and the
cost of completed relocations. Case-bound reads take a ``CaseView`` the viewer already has
(``cases.queries.case_for``); lists across cases keep to the cases the viewer works."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, Sum

from passage.accounts.models import User
from passage.cases.models import Approval, Case
from passage.cases.queries import CaseView, uuid_or_none
from passage.crypto import datakeys
from passage.funds.models import BudgetLine, Disbursement, Fund, FundEntry, Stipend
from passage.funds.services import balance_of, committed_of


@dataclass(frozen=True)
class FundReport:
    fund: Fund
    deposited: int
    spent: int
    committed: int  # approved, not yet spent
    balance: int  # deposited - spent

    @property
    def available(self) -> int:
        return self.balance - self.committed


def report_of(fund: Fund) -> FundReport:
    totals = FundEntry.objects.filter(fund=fund).aggregate(
        deposited=Sum("amount", filter=Q(kind=FundEntry.Kind.DEPOSIT)),
        spent=Sum("amount", filter=Q(kind=FundEntry.Kind.DISBURSEMENT)),
    )
    return FundReport(
        fund=fund,
        deposited=int(totals["deposited"] or 0),
        spent=-int(totals["spent"] or 0),
        committed=committed_of(fund),
        balance=balance_of(fund),
    )


def fund_reports() -> list[FundReport]:
    return [report_of(fund) for fund in Fund.objects.select_related("desk")]


def fund_or_none(fund_id: object) -> Fund | None:
    pk = uuid_or_none(fund_id)
    return None if pk is None else Fund.objects.select_related("desk").filter(pk=pk).first()


def funds_for(case: Case) -> list[Fund]:
    """The funds a line of ``case`` may draw on (unrestricted, or restricted to its desk)."""
    return list(Fund.objects.filter(Q(desk__isnull=True) | Q(desk_id=case.desk_id)))


def ledger_of(fund: Fund, *, limit: int = 200) -> list[FundEntry]:
    """The fund's latest entries (no case reference: the ledger is about money)."""
    return list(FundEntry.objects.filter(fund=fund).select_related("recorded_by")[:limit])


def lines_awaiting(user: User) -> list[BudgetLine]:
    """Lines waiting for a decision, on cases of the desks ``user`` is a member of (finance
    works cases through their desks), oldest first. Plain columns only."""
    desks = user.memberships.values("desk_id")
    return list(
        BudgetLine.objects.filter(status=BudgetLine.Status.ESTIMATED, case__desk_id__in=desks)
        .select_related("case", "fund", "requested_by")
        .prefetch_related("approvals__approver")
        .order_by("requested_at")
    )


@dataclass(frozen=True)
class LineRow:
    line: BudgetLine
    spent: int

    @property
    def left(self) -> int:
        return max(int(self.line.estimate) - self.spent, 0)


def budget_of(view: CaseView, *, readable: bool = False) -> list[LineRow]:
    """The case's lines with what each spent; their disbursements prefetched."""
    lines = list(
        BudgetLine.objects.filter(case=view.case)
        .select_related("fund", "requested_by")
        .prefetch_related("approvals__approver", "disbursements__recorded_by")
    )
    if readable:
        datakeys.preload([*lines, *(d for line in lines for d in line.disbursements.all())])
    return [LineRow(line, sum(int(d.amount) for d in line.disbursements.all())) for line in lines]


def line_of(view: CaseView, line_id: object) -> BudgetLine | None:
    pk = uuid_or_none(line_id)
    if pk is None:
        return None
    return BudgetLine.objects.filter(case=view.case, pk=pk).select_related("fund", "case").first()


@dataclass(frozen=True)
class PersonCost:
    currency: str
    cases: int
    people: int
    median: int  # minor units per person
    mean: int


COMPLETED = (Case.Outcome.RELOCATED, Case.Outcome.SETTLED)


def cost_per_person() -> list[PersonCost]:
    """What completed relocations (outcome relocated or settled) cost per person, by currency:
    each case's disbursements divided by its household size; the median and mean of those."""
    rows = (
        Disbursement.objects.filter(case__outcome__in=COMPLETED)
        .values("case_id", "case__household_size", "line__fund__currency")
        .annotate(total=Sum("amount"))
    )
    per_case: dict[str, dict[uuid.UUID, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        size = max(int(row["case__household_size"] or 1), 1)
        per_case[row["line__fund__currency"]][row["case_id"]] = (int(row["total"] or 0), size)
    found = []
    for currency, cases in sorted(per_case.items()):
        each = [total / size for total, size in cases.values() for _ in range(size)]
        found.append(
            PersonCost(
                currency=currency,
                cases=len(cases),
                people=len(each),
                median=round(statistics.median(each)),
                mean=round(statistics.fmean(each)),
            )
        )
    return found


def stipends_of(view: CaseView) -> list[Stipend]:
    return list(Stipend.objects.filter(case=view.case).select_related("line", "line__fund"))


def stipend_of(view: CaseView, stipend_id: object) -> Stipend | None:
    pk = uuid_or_none(stipend_id)
    if pk is None:
        return None
    return (
        Stipend.objects.filter(case=view.case, pk=pk)
        .select_related("case", "line", "line__fund")
        .first()
    )


def emergency_unpaid(view: CaseView) -> list[Approval]:
    """The case's approved emergency help not yet paid from the emergency fund."""
    return list(
        Approval.objects.filter(
            case=view.case,
            kind=Approval.Kind.EMERGENCY,
            status=Approval.Status.APPROVED,
            budget_line__isnull=True,
        )
    )


def emergency_approval_of(view: CaseView, approval_id: object) -> Approval | None:
    pk = uuid_or_none(approval_id)
    if pk is None:
        return None
    return next((a for a in emergency_unpaid(view) if a.pk == pk), None)
