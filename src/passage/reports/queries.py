"""Reads for dashboards and funder reports: counts from the rollup tables, never a case scan.

Counts of cases come from ``cases.models.rollups`` (``CaseTotal`` for dashboards,
``CaseRollup`` where a person's category is asked for, ``ArrivalRollup`` for times to arrival,
``StageRollup`` for cases in a stage now). What is not about cases is counted where it lives,
in small tables or by indexed columns: help requests by their hour-rounded time (a request's
country is sealed, so countries come from opened cases), safe houses and stays, alerts, lost-
contact incidents, the funds' ledger. Every figure is a count or a sum; nothing here decrypts.
Reports are organisation-wide: they hold no case, so desks do not limit them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.alerts.models import Alert
from passage.cases import categories
from passage.cases.choices import country_name
from passage.cases.models import ArrivalRollup, CaseRollup, CaseTotal, Measure, StageRollup
from passage.cases.rollups import ALL_FUNDS
from passage.cases.workflow import Stage
from passage.funds.models import Fund, FundEntry
from passage.intake.models import HelpRequest
from passage.pathways.models import Programme
from passage.reports.models import YearlyGoal
from passage.safehouses.models import SafeHouse, Stay


@dataclass(frozen=True)
class Period:
    """Whole months, ``first`` to ``last`` (both the first day of their month)."""

    first: dt.date
    last: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 1))

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first, dt.time()))

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        following = next_month(self.last)
        return timezone.make_aware(dt.datetime.combine(following, dt.time()))

    def months(self) -> list[dt.date]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = next_month(month)
        return found


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int


# --- Dashboard -----------------------------------------------------------------------------

FUNNEL: tuple[tuple[str, Any], ...] = (
    (Measure.OPENED, _("Cases opened")),
    (Measure.VERIFIED, _("Verified")),
    (Measure.APPROVED, _("Approved")),
    (Measure.IN_TRANSIT, _("In transit")),
    (Measure.ARRIVED, _("Arrived")),
    (Measure.SETTLED, _("Settled")),
)


def requests_in(period: Period) -> int:
    return HelpRequest.objects.filter(
        received_at__gte=period.start, received_at__lt=period.end
    ).count()


def measure_counts(period: Period, *, fund: str = ALL_FUNDS) -> dict[str, tuple[int, int]]:
    """measure -> (cases, people) that reached it in the period."""
    rows = (
        CaseTotal.objects.filter(fund=fund, month__gte=period.first, month__lte=period.last)
        .values("measure")
        .annotate(cases=Sum("count"), people=Sum("people"))
    )
    return {r["measure"]: (int(r["cases"] or 0), int(r["people"] or 0)) for r in rows}


def funnel(period: Period) -> list[Bar]:
    """Requests, then cases that reached each milestone in the period."""
    counts = measure_counts(period)
    bars = [Bar("requests", str(_("Help requests")), requests_in(period))]
    bars += [Bar(m, str(label), counts.get(m, (0, 0))[0]) for m, label in FUNNEL]
    return bars


@dataclass(frozen=True)
class ArrivalTimes:
    arrivals: int
    median: int | None  # days (the lower bound of the histogram bucket)
    p90: int | None
    bars: list[Bar]  # coarse histogram for the chart


ARRIVAL_BANDS: tuple[tuple[int, int | None, Any], ...] = (
    (0, 30, _("Under a month")),
    (30, 90, _("1 to 3 months")),
    (90, 180, _("3 to 6 months")),
    (180, 365, _("6 to 12 months")),
    (365, 730, _("1 to 2 years")),
    (730, None, _("2 years or more")),
)


def _percentile(buckets: list[tuple[int, int]], share: float) -> int | None:
    total = sum(n for _, n in buckets)
    if not total:
        return None
    wanted = share * total
    running = 0
    for days, n in buckets:
        running += n
        if running >= wanted:
            return days
    return buckets[-1][0]  # pragma: no cover - the loop always reaches the total


def arrival_times(period: Period, *, fund: str = ALL_FUNDS) -> ArrivalTimes:
    """Days from the first request to arrival, of the cases that arrived in the period."""
    rows = (
        ArrivalRollup.objects.filter(fund=fund, month__gte=period.first, month__lte=period.last)
        .values("days")
        .annotate(n=Sum("count"))
        .order_by("days")
    )
    buckets = [(r["days"], int(r["n"])) for r in rows if r["n"]]
    bars = []
    for low, high, label in ARRIVAL_BANDS:
        value = sum(n for d, n in buckets if d >= low and (high is None or d < high))
        bars.append(Bar(str(low), str(label), value))
    return ArrivalTimes(
        arrivals=sum(n for _, n in buckets),
        median=_percentile(buckets, 0.5),
        p90=_percentile(buckets, 0.9),
        bars=bars,
    )


@dataclass(frozen=True)
class Goal:
    year: int
    target: int | None
    people: int  # people (household members too) who arrived in the year
    cases: int

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return min(100, round(100 * self.people / self.target))


def goal_progress(year: int) -> Goal:
    goal = YearlyGoal.objects.filter(year=year).first()
    cases, people = measure_counts(Period.year(year)).get(Measure.ARRIVED, (0, 0))
    return Goal(year=year, target=goal.people if goal else None, people=people, cases=cases)


@dataclass(frozen=True)
class SafetyNow:
    people_in_houses: int
    beds: int
    houses_open: int
    open_alerts: int
    critical_alerts: int
    lost_contact_cases: int
    lost_contact_incidents: int | None  # None: the safety app keeps no incidents

    @property
    def occupancy(self) -> int | None:
        if not self.beds:
            return None
        return round(100 * self.people_in_houses / self.beds)


def safety_now(today: dt.date | None = None) -> SafetyNow:
    day = today or timezone.localdate()
    staying = Stay.objects.filter(
        cancelled_at__isnull=True, actual_from__isnull=False, actual_from__lte=day
    ).filter(Q(actual_to__isnull=True) | Q(actual_to__gt=day))
    houses = SafeHouse.objects.filter(status=SafeHouse.Status.OPEN)
    alerts = Alert.objects.exclude(status=Alert.Status.RESOLVED).aggregate(
        total=Count("id"), critical=Count("id", filter=Q(severity=Alert.Severity.CRITICAL))
    )
    lost = StageRollup.objects.filter(stage=Stage.LOST_CONTACT).aggregate(n=Sum("count"))["n"]
    incidents: int | None = None
    try:
        from passage.safety.models import LostContactIncident
    except ImportError:  # pragma: no cover - the safety app is part of the project
        pass
    else:
        incidents = LostContactIncident.objects.filter(closed_at__isnull=True).count()
    return SafetyNow(
        people_in_houses=int(staying.aggregate(n=Sum("people"))["n"] or 0),
        beds=int(houses.aggregate(n=Sum("beds"))["n"] or 0),
        houses_open=houses.count(),
        open_alerts=int(alerts["total"] or 0),
        critical_alerts=int(alerts["critical"] or 0),
        lost_contact_cases=int(lost or 0),
        lost_contact_incidents=incidents,
    )


# --- Requests -------------------------------------------------------------------------------


def requests_per_week(first: dt.date, weeks: int) -> list[Bar]:
    """Help requests per week (Monday to Sunday) for ``weeks`` weeks from ``first``'s week."""
    monday = first - dt.timedelta(days=first.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    end = start + dt.timedelta(weeks=weeks)
    counted = {
        timezone.localdate(row["week"])
        if isinstance(row["week"], dt.datetime)
        else row["week"]: row["n"]
        for row in HelpRequest.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(week=TruncWeek("received_at"))
        .values("week")
        .annotate(n=Count("id"))
    }
    bars = []
    for i in range(weeks):
        day = monday + dt.timedelta(weeks=i)
        bars.append(Bar(day.isoformat(), day.strftime("%d %b %Y"), int(counted.get(day, 0))))
    return bars


def opened_by_country(period: Period, *, limit: int = 20) -> list[Bar]:
    """Cases opened in the period by country of origin (a request's country is sealed until
    it is screened: only opened cases have one in plain)."""
    rows = (
        CaseTotal.objects.filter(
            fund=ALL_FUNDS,
            measure=Measure.OPENED,
            month__gte=period.first,
            month__lte=period.last,
        )
        .values("country")
        .annotate(n=Sum("count"))
        .order_by("-n", "country")
    )
    return [
        Bar(
            r["country"],
            country_name(r["country"]) if r["country"] else str(_("Not recorded")),
            int(r["n"]),
        )
        for r in rows[:limit]
        if r["n"]
    ]


# --- Funds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundUse:
    fund: Fund
    deposited: int
    spent: int
    spent_in_period: int
    cases_paid: int  # cases this fund ever paid for
    arrived_in_period: int  # of those, arrived in the period

    @property
    def balance(self) -> int:
        return self.deposited - self.spent


def fund_use(period: Period) -> list[FundUse]:
    funds = list(Fund.objects.order_by("name"))
    ledger = {
        row["fund"]: row
        for row in FundEntry.objects.values("fund").annotate(
            deposited=Sum("amount", filter=Q(kind=FundEntry.Kind.DEPOSIT)),
            spent=Sum("amount", filter=Q(kind=FundEntry.Kind.DISBURSEMENT)),
            spent_in_period=Sum(
                "amount",
                filter=Q(
                    kind=FundEntry.Kind.DISBURSEMENT,
                    on__gte=period.first,
                    on__lt=next_month(period.last),
                ),
            ),
        )
    }
    ids = [str(f.pk) for f in funds]
    paid = dict(
        CaseTotal.objects.filter(fund__in=ids, measure=Measure.OPENED)
        .values("fund")
        .annotate(n=Sum("count"))
        .values_list("fund", "n")
    )
    arrived = dict(
        CaseTotal.objects.filter(
            fund__in=ids,
            measure=Measure.ARRIVED,
            month__gte=period.first,
            month__lte=period.last,
        )
        .values("fund")
        .annotate(n=Sum("count"))
        .values_list("fund", "n")
    )
    found = []
    for fund in funds:
        row = ledger.get(fund.pk, {})
        found.append(
            FundUse(
                fund=fund,
                deposited=int(row.get("deposited") or 0),
                spent=-int(row.get("spent") or 0),
                spent_in_period=-int(row.get("spent_in_period") or 0),
                cases_paid=int(paid.get(str(fund.pk)) or 0),
                arrived_in_period=int(arrived.get(str(fund.pk)) or 0),
            )
        )
    return found


# --- Funder reports ---------------------------------------------------------------------------


# The dimensions a funder report can filter by and break down by: (column, label, choices).
def dimension_choices() -> dict[str, tuple[Any, list[tuple[str, str]]]]:
    not_recorded = str(_("Not recorded"))
    return {
        "gender": (
            _("Gender identity"),
            [
                *[(str(v), str(label)) for v, label in categories.GenderCategory.choices],
                ("", not_recorded),
            ],
        ),
        "orientation": (
            _("Sexual orientation"),
            [
                *[(str(v), str(label)) for v, label in categories.OrientationCategory.choices],
                ("", not_recorded),
            ],
        ),
        "age_band": (
            _("Age band"),
            [
                *[(str(v), str(label)) for v, label in categories.AgeBand.choices],
                ("", not_recorded),
            ],
        ),
        "pathway": (
            _("Pathway"),
            [*[(str(v), str(label)) for v, label in Programme.Kind.choices], ("", not_recorded)],
        ),
        "country": (_("Country of origin"), []),  # any code: labelled by name
    }


def label_for(dimension: str, value: str) -> str:
    if dimension == "country":
        return country_name(value) if value else str(_("Not recorded"))
    if dimension == "month":
        return value
    for code, label in dimension_choices()[dimension][1]:
        if code == value:
            return label
    return value


@dataclass(frozen=True)
class FunderRow:
    key: str
    label: str
    value: int  # cases
    people: int


@dataclass(frozen=True)
class FunderTable:
    rows: list[FunderRow]
    total_cases: int
    total_people: int


def funder_table(
    *,
    period: Period,
    measure: str,
    fund: str,
    filters: dict[str, str],
    rows: str,
) -> FunderTable:
    """Cases (and their people) that reached ``measure`` in ``period``, paid by ``fund`` (or
    all), restricted by ``filters`` (dimension -> value), broken down by ``rows`` (a
    dimension, or "month")."""
    query = CaseRollup.objects.filter(
        fund=fund, measure=measure, month__gte=period.first, month__lte=period.last, **filters
    )
    grouped = query.values(rows).annotate(cases=Sum("count"), people=Sum("people")).order_by(rows)
    bars = []
    total_cases = total_people = 0
    for row in grouped:
        cases, people = int(row["cases"] or 0), int(row["people"] or 0)
        if not cases:
            continue
        key = row[rows]
        key = key.strftime("%Y-%m") if isinstance(key, dt.date) else str(key)
        bars.append(FunderRow(key, label_for(rows, key), cases, people))
        total_cases += cases
        total_people += people
    return FunderTable(rows=bars, total_cases=total_cases, total_people=total_people)


def funds_for_choice() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Fund.objects.order_by("name").values_list("pk", "name")]
