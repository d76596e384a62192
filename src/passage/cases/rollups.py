"""Keeping the rollup tables (``cases.models.rollups``) up to date as cases move.

One pure function, ``contributions(facts)``, says which rollup rows one case adds to (and by
how much): the months in which it was opened, verified, approved, went in transit, arrived,
settled and closed (with its outcome), by its principal's coarse categories, once more for
each fund it received money from; the bucket of days from its first request to its arrival;
the stage it is in now. Every service that changes what that function reads wraps its change
in ``tracking(case_id)``: the facts of the case are read before and after the change (inside
the same transaction, after the case row is locked) and only the difference is written, as
upserts. So back-and-forward moves, reopening, a corrected category or a new pathway move the
counts exactly, and ``rebuild()`` (the sum of ``contributions`` over every case) always equals
what the services wrote: the test suite checks that they agree.

What is read about a case: its plain operational columns (stage, dates, outcome, country,
verification outcome, desk, household size), its timeline's stage and verification codes
(``CaseEvent``, plain), its principal's categories and birth year (encrypted: decrypted here,
in memory, with the case's key; never written anywhere but as counts), the programme kind of
its pathway application and the funds it received money from. Pathway applications, help
requests and disbursements belong to apps above cases: they are read through the reverse
relations of ``Case`` (by column name), so this module imports none of those apps.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone

from passage.cases import workflow
from passage.cases.categories import NOT_RECORDED, age_band
from passage.cases.models import (
    ArrivalRollup,
    Case,
    CaseEvent,
    CaseRollup,
    CaseTotal,
    Person,
    StageRollup,
)
from passage.cases.models.rollups import CATEGORY_COLUMNS, TOTAL_COLUMNS, Measure
from passage.cases.workflow import Stage
from passage.crypto import bulkinsert, datakeys

# Milestones on the main line, in order, with the stage whose reaching marks them.
REACHED: tuple[tuple[str, Stage], ...] = (
    (Measure.APPROVED, Stage.APPROVED),
    (Measure.IN_TRANSIT, Stage.IN_TRANSIT),
    (Measure.ARRIVED, Stage.ARRIVED),
    (Measure.SETTLED, Stage.SETTLEMENT),
)
# Outcomes that say a case arrived (and, for "settled", was settled) even without the events.
ARRIVED_OUTCOMES = frozenset({Case.Outcome.RELOCATED, Case.Outcome.SETTLED})
# Pathway applications by how much they say about the case's pathway (refused and withdrawn
# ones say nothing).
PATHWAY_RANK = {"approved": 4, "interview": 3, "submitted": 2, "preparing": 1}
ALL_FUNDS = ""

# Histogram buckets of days from first request to arrival: lower bounds.
DAY_BUCKETS: tuple[int, ...] = (
    *range(0, 60),
    *range(60, 365, 7),
    *range(365, 1095, 30),
    1095,
)


def days_bucket(days: int) -> int:
    """The lower bound of the histogram bucket ``days`` falls in."""
    days = max(0, days)
    if days < 60:
        return days
    if days < 365:
        return 60 + (days - 60) // 7 * 7
    if days < 1095:
        return 365 + (days - 365) // 30 * 30
    return 1095


def month_of(moment: dt.datetime | dt.date) -> dt.date:
    day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
    return day.replace(day=1)


@dataclass(frozen=True)
class Facts:
    """What the rollups need to know about one case."""

    case_id: uuid.UUID
    desk_id: uuid.UUID
    stage: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    outcome: str
    country: str
    verification_outcome: str
    household_size: int
    # (moment, to stage) of its stage changes, in order
    stage_events: tuple[tuple[dt.datetime, str], ...] = ()
    verified_at: dt.datetime | None = None  # first "outcome_verified" event
    first_request_at: dt.datetime | None = None
    gender: str = NOT_RECORDED
    orientation: str = NOT_RECORDED
    birth_year: int | None = None
    pathway: str = NOT_RECORDED
    funds: frozenset[str] = field(default_factory=frozenset)


CaseKey = tuple[str, dt.date, str, str, str, str, str, str, str]  # measure, month, categories
ArrivalKey = tuple[dt.date, int, str]
StageKey = tuple[str, uuid.UUID]


@dataclass
class Contribution:
    """Rollup rows and counts: a case's own, a sum over cases, or a difference."""

    cases: Counter[CaseKey] = field(default_factory=Counter)
    people: Counter[CaseKey] = field(default_factory=Counter)
    arrivals: Counter[ArrivalKey] = field(default_factory=Counter)
    stages: Counter[StageKey] = field(default_factory=Counter)

    def add(self, other: Contribution, sign: int = 1) -> None:
        for mine, theirs in (
            (self.cases, other.cases),
            (self.people, other.people),
            (self.arrivals, other.arrivals),
            (self.stages, other.stages),
        ):
            for key, value in theirs.items():
                mine[key] += sign * value  # type: ignore[index]

    def nonzero(self) -> Contribution:
        return Contribution(
            Counter({k: v for k, v in self.cases.items() if v}),
            Counter({k: v for k, v in self.people.items() if v}),
            Counter({k: v for k, v in self.arrivals.items() if v}),
            Counter({k: v for k, v in self.stages.items() if v}),
        )


def milestones(facts: Facts) -> dict[str, dt.datetime]:
    """When the case first reached each milestone (measure -> moment)."""
    found: dict[str, dt.datetime] = {Measure.OPENED: facts.opened_at}
    for measure, stage in REACHED:
        wanted = workflow.position(stage)
        for at, to_stage in facts.stage_events:
            if workflow.position(to_stage) >= wanted:
                found[measure] = at
                break
    if facts.outcome in ARRIVED_OUTCOMES and facts.closed_at is not None:
        found.setdefault(Measure.ARRIVED, facts.closed_at)
        if facts.outcome == Case.Outcome.SETTLED:
            found.setdefault(Measure.SETTLED, facts.closed_at)
    # A later milestone implies the earlier ones (a relocated case went in transit).
    later: dt.datetime | None = None
    for measure, _stage in reversed(REACHED):
        if measure in found:
            later = found[measure] if later is None else min(later, found[measure])
        elif later is not None:
            found[measure] = later
    if facts.verification_outcome == Case.Verification.VERIFIED:
        found[Measure.VERIFIED] = (
            facts.verified_at or found.get(Measure.APPROVED) or facts.opened_at
        )
    return found


def contributions(facts: Facts) -> Contribution:
    """The rollup rows ``facts``' case adds to (a merged case: none, its survivor counts)."""
    out = Contribution()
    if facts.outcome == Case.Outcome.MERGED:
        return out
    funds = [ALL_FUNDS, *sorted(facts.funds)]
    reached = milestones(facts)
    rows: list[tuple[str, dt.datetime, str]] = [(m, at, "") for m, at in reached.items()]
    if facts.stage in {s.value for s in workflow.ENDED} and facts.closed_at is not None:
        rows.append((Measure.CLOSED, facts.closed_at, facts.outcome))
    for measure, at, outcome in rows:
        band = age_band(facts.birth_year, at)
        for fund in funds:
            key: CaseKey = (
                measure,
                month_of(at),
                outcome,
                facts.country,
                facts.pathway,
                facts.gender,
                facts.orientation,
                band,
                fund,
            )
            out.cases[key] += 1
            out.people[key] += facts.household_size
    arrived = reached.get(Measure.ARRIVED)
    if arrived is not None:
        start = min(facts.first_request_at or facts.opened_at, facts.opened_at)
        bucket = days_bucket((arrived - start).days)
        for fund in funds:
            out.arrivals[(month_of(arrived), bucket, fund)] += 1
    out.stages[(facts.stage, facts.desk_id)] += 1
    return out


# --- Reading the facts ----------------------------------------------------------------------


def _related(name: str) -> type[models.Model] | None:
    """The model behind ``Case``'s reverse relation ``name`` (None: its app is not installed)."""
    try:
        return Case._meta.get_field(name).related_model  # type: ignore[return-value]
    except Exception:
        return None


def _birth_year(person: Person) -> int | None:
    birth = person.birth_date
    if birth:
        try:
            return int(str(birth)[:4])
        except ValueError:
            return None
    age = person.age_years
    if isinstance(age, int):
        return person.created_at.year - age
    return None


def facts_for(case_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Facts]:
    """The facts of the given cases (those that exist), read in a few queries."""
    ids = list(case_ids)
    if not ids:
        return {}
    base = {
        row["id"]: row
        for row in Case.objects.filter(pk__in=ids).values(
            "id",
            "desk_id",
            "stage",
            "opened_at",
            "closed_at",
            "outcome",
            "country",
            "verification_outcome",
            "household_size",
        )
    }
    if not base:
        return {}
    ids = list(base)
    events: dict[uuid.UUID, list[tuple[dt.datetime, str]]] = {i: [] for i in ids}
    verified: dict[uuid.UUID, dt.datetime] = {}
    for case_id, kind, at, to_stage, detail in (
        CaseEvent.objects.filter(
            case_id__in=ids, kind__in=[CaseEvent.Kind.STAGE, CaseEvent.Kind.VERIFICATION]
        )
        .order_by("at", "pk")
        .values_list("case_id", "kind", "at", "to_stage", "detail")
    ):
        if kind == CaseEvent.Kind.STAGE:
            events[case_id].append((at, to_stage))
        elif detail == f"outcome_{Case.Verification.VERIFIED}":
            verified.setdefault(case_id, at)
    people = list(Person.objects.filter(case_id__in=ids, is_principal=True))
    datakeys.preload(people)
    principal: dict[uuid.UUID, tuple[str, str, int | None]] = {
        p.case_id: (p.gender_category or "", p.orientation_category or "", _birth_year(p))
        for p in people
    }
    requests: dict[uuid.UUID, dt.datetime] = {}
    request_model = _related("help_requests")
    if request_model is not None:
        for case_id, first in (
            request_model._default_manager.filter(case_id__in=ids)
            .values("case_id")
            .annotate(first=models.Min("received_at"))
            .values_list("case_id", "first")
        ):
            requests[case_id] = first
    pathways: dict[uuid.UUID, tuple[int, dt.datetime, str]] = {}
    application_model = _related("pathway_applications")
    if application_model is not None:
        for case_id, status, created, kind in application_model._default_manager.filter(
            case_id__in=ids, status__in=list(PATHWAY_RANK)
        ).values_list("case_id", "status", "created_at", "programme__kind"):
            ranked = (PATHWAY_RANK[status], created, kind)
            if case_id not in pathways or ranked > pathways[case_id]:
                pathways[case_id] = ranked
    funds: dict[uuid.UUID, set[str]] = {}
    disbursement_model = _related("disbursements")
    if disbursement_model is not None:
        for case_id, fund_id in (
            disbursement_model._default_manager.filter(case_id__in=ids)
            .values_list("case_id", "line__fund_id")
            .distinct()
        ):
            funds.setdefault(case_id, set()).add(str(fund_id))
    found = {}
    for case_id, row in base.items():
        gender, orientation, born = principal.get(case_id, ("", "", None))
        found[case_id] = Facts(
            case_id=case_id,
            desk_id=row["desk_id"],
            stage=row["stage"],
            opened_at=row["opened_at"],
            closed_at=row["closed_at"],
            outcome=row["outcome"],
            country=row["country"],
            verification_outcome=row["verification_outcome"],
            household_size=row["household_size"],
            stage_events=tuple(events[case_id]),
            verified_at=verified.get(case_id),
            first_request_at=requests.get(case_id),
            gender=gender,
            orientation=orientation,
            birth_year=born,
            pathway=pathways[case_id][2] if case_id in pathways else NOT_RECORDED,
            funds=frozenset(funds.get(case_id, ())),
        )
    return found


def contributions_of(case_ids: Iterable[uuid.UUID]) -> Contribution:
    total = Contribution()
    for facts in facts_for(case_ids).values():
        total.add(contributions(facts))
    return total


# --- Writing --------------------------------------------------------------------------------

_CASE_COLUMNS = ("measure", "month", *CATEGORY_COLUMNS)
_TOTAL_COLUMNS = ("measure", "month", *TOTAL_COLUMNS)
_TOTAL_AT = tuple(_CASE_COLUMNS.index(c) for c in _TOTAL_COLUMNS)
TotalKey = tuple[Any, ...]


def totals_of(counts: Counter[CaseKey]) -> Counter[TotalKey]:
    """``counts`` summed over the person's categories (the rows of ``CaseTotal``)."""
    out: Counter[TotalKey] = Counter()
    for key, value in counts.items():
        out[tuple(key[i] for i in _TOTAL_AT)] += value
    return Counter({k: v for k, v in out.items() if v})


def _upsert(
    model: type[models.Model], key_columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Add each row's counts (the last columns) to the row with its key (created if missing)."""
    if not rows:
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    value_columns = ("count", "people") if model in {CaseRollup, CaseTotal} else ("count",)
    fields = [model._meta.get_field(c) for c in (*key_columns, *value_columns)]
    columns = [str(f.column) for f in fields]  # type: ignore[union-attr]
    updates = ", ".join(
        f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in value_columns
    )
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 -- our own table and column names
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in columns[: len(key_columns)])}) "
        f"DO UPDATE SET {updates}"
    )
    prepared = [
        [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]  # type: ignore[union-attr]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def apply(delta: Contribution) -> None:
    """Write a difference of contributions to the rollup tables (keys in a fixed order, so
    concurrent writers lock rows in the same order)."""
    delta = delta.nonzero()
    keys = sorted(set(delta.cases) | set(delta.people))
    _upsert(
        CaseRollup,
        _CASE_COLUMNS,
        [(*key, delta.cases[key], delta.people[key]) for key in keys],
    )
    totals, total_people = totals_of(delta.cases), totals_of(delta.people)
    _upsert(
        CaseTotal,
        _TOTAL_COLUMNS,
        [(*key, totals[key], total_people[key]) for key in sorted(set(totals) | set(total_people))],
    )
    _upsert(
        ArrivalRollup,
        ("month", "days", "fund"),
        [(*key, count) for key, count in sorted(delta.arrivals.items())],
    )
    _upsert(
        StageRollup,
        ("stage", "desk_id"),
        [(stage, desk, count) for (stage, desk), count in sorted(delta.stages.items())],
    )


@dataclass
class Pending:
    """The facts of cases before a change (``before``), to be compared after it (``after``)."""

    case_ids: list[uuid.UUID]
    contribution: Contribution


def before(*case_ids: uuid.UUID | None) -> Pending:
    """Note what the cases contribute now; call right after locking them in the service."""
    ids = [i for i in case_ids if i is not None]
    return Pending(ids, contributions_of(ids))


def after(pending: Pending) -> None:
    """Write what changed since ``before`` (in the same transaction, before it commits)."""
    delta = contributions_of(pending.case_ids)
    delta.add(pending.contribution, -1)
    apply(delta)


def case_added(case_id: uuid.UUID) -> None:
    """Count a case just created (in its opening transaction)."""
    apply(contributions_of([case_id]))


@contextmanager
def tracking(*case_ids: uuid.UUID | None) -> Iterator[None]:
    """Keep the rollups right across the change made inside the block.

    Use inside the service's transaction, after the case row is locked: reads the cases'
    facts before and after the block and writes the difference. Nothing is written if the
    block raises (the transaction is rolled back anyway).
    """
    pending = before(*case_ids)
    yield
    after(pending)


# --- From scratch ---------------------------------------------------------------------------


def from_scratch(*, chunk: int = 5000) -> Contribution:
    """The sum of every case's contributions, read in chunks of ``chunk`` cases."""
    total = Contribution()
    last: uuid.UUID | None = None
    while True:
        query = Case.objects.order_by("pk")
        if last is not None:
            query = query.filter(pk__gt=last)
        ids = list(query.values_list("pk", flat=True)[:chunk])
        if not ids:
            return total
        total.add(contributions_of(ids))
        last = ids[-1]


def stored() -> Contribution:
    """What the rollup tables hold now (rows with a count), as a ``Contribution``."""
    out = Contribution()
    for row in CaseRollup.objects.exclude(count=0, people=0).values_list(
        *_CASE_COLUMNS, "count", "people"
    ):
        key: CaseKey = row[:-2]
        out.cases[key] = row[-2]
        out.people[key] = row[-1]
    for month, days, fund, count in ArrivalRollup.objects.exclude(count=0).values_list(
        "month", "days", "fund", "count"
    ):
        out.arrivals[(month, days, fund)] = count
    for stage, desk, count in StageRollup.objects.exclude(count=0).values_list(
        "stage", "desk_id", "count"
    ):
        out.stages[(stage, desk)] = count
    return out.nonzero()


def stored_totals() -> tuple[Counter[TotalKey], Counter[TotalKey]]:
    """What ``CaseTotal`` holds now: (cases, people) by key."""
    cases: Counter[TotalKey] = Counter()
    people: Counter[TotalKey] = Counter()
    for row in CaseTotal.objects.exclude(count=0, people=0).values_list(
        *_TOTAL_COLUMNS, "count", "people"
    ):
        cases[row[:-2]] = row[-2]
        people[row[:-2]] = row[-1]
    return Counter({k: v for k, v in cases.items() if v}), Counter(
        {k: v for k, v in people.items() if v}
    )


def agrees(expected: Contribution) -> bool:
    """Whether every rollup table holds exactly ``expected`` (e.g. ``from_scratch()``)."""
    expected = expected.nonzero()
    return stored() == expected and stored_totals() == (
        totals_of(expected.cases),
        totals_of(expected.people),
    )


def rebuild(*, chunk: int = 5000) -> Contribution:
    """Replace the rollup tables by the from-scratch count (a repair); run inside a
    transaction. Returns what was written."""
    total = from_scratch(chunk=chunk).nonzero()
    CaseRollup.objects.all().delete()
    CaseTotal.objects.all().delete()
    ArrivalRollup.objects.all().delete()
    StageRollup.objects.all().delete()
    write_fresh(total)
    return total


def write_fresh(total: Contribution, *, batch_size: int = 5000) -> None:
    """Insert ``total`` into empty rollup tables (by ``COPY`` on PostgreSQL)."""
    keys = sorted(set(total.cases) | set(total.people))
    bulkinsert.insert_rows(
        CaseRollup,
        [*_CASE_COLUMNS, "count", "people"],
        [(*key, total.cases[key], total.people[key]) for key in keys],
        batch_size=batch_size,
    )
    totals, total_people = totals_of(total.cases), totals_of(total.people)
    bulkinsert.insert_rows(
        CaseTotal,
        [*_TOTAL_COLUMNS, "count", "people"],
        [(*key, totals[key], total_people[key]) for key in sorted(set(totals) | set(total_people))],
        batch_size=batch_size,
    )
    bulkinsert.insert_rows(
        ArrivalRollup,
        ["month", "days", "fund", "count"],
        [(*key, count) for key, count in sorted(total.arrivals.items())],
        batch_size=batch_size,
    )
    bulkinsert.insert_rows(
        StageRollup,
        ["stage", "desk_id", "count"],
        [(*key, count) for key, count in sorted(total.stages.items())],
        batch_size=batch_size,
    )
