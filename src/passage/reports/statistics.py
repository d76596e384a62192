"""The public statistics release: fixed tables of one fixed period, suppressed (issue 9.6).

* **Fixed periods.** A release covers one calendar year (``2025``) or, if the installation is
  set to quarters (``PASSAGE_STATISTICS_PERIOD = "quarter"``), one calendar quarter
  (``2025-Q3``): never both, since a year minus three published quarters would give the
  fourth. Only periods that have ended are offered, and a release is kept as first published
  (``StatisticsRelease``): the same period is never published twice with different numbers,
  so two releases cannot be differenced either.
* **Fixed tables**, each of at most two dimensions, with row, column and grand totals; labels
  from fixed vocabularies, never free text (``TABLES``).
* **Suppression** of each table (``reports.suppression``): counts from 1 to 4 are "<5", and
  enough other entries are "x" that none of them can be recovered from the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from passage.cases import categories
from passage.cases.choices import country_name
from passage.cases.models import Case, CaseRollup, CaseTotal, Measure
from passage.cases.rollups import ALL_FUNDS
from passage.pathways.models import Programme
from passage.reports.queries import Period
from passage.reports.suppression import protect

PERIOD_YEAR = re.compile(r"^(\d{4})$")
PERIOD_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
FIRST_YEAR = 2000

NOTES = (
    "Counts of cases (a household is one case). Counts from 1 to 4 are shown as <5; entries "
    "shown as x are withheld so that no <5 count can be worked out from the others.",
    "Periods are whole calendar years or quarters and each is published once.",
    "Country is the country of origin; categories are those the person chose for themselves.",
)


def granularity() -> str:
    return (
        "quarter" if getattr(settings, "PASSAGE_STATISTICS_PERIOD", "year") == "quarter" else "year"
    )


@dataclass(frozen=True)
class ReleasePeriod:
    code: str
    period: Period
    # The columns of time tables: quarters of a year, months of a quarter.
    parts: tuple[tuple[str, dt.date, dt.date], ...]


def parse_period(code: str, *, today: dt.date | None = None) -> ReleasePeriod | None:
    """The release period ``code`` names, if it is of this installation's kind and ended."""
    day = today or timezone.localdate()
    if granularity() == "year":
        match = PERIOD_YEAR.match(code)
        if not match:
            return None
        year = int(match.group(1))
        period = Period.year(year)
        parts = tuple(
            (f"Q{q}", dt.date(year, 3 * q - 2, 1), dt.date(year, 3 * q, 1)) for q in range(1, 5)
        )
    else:
        match = PERIOD_QUARTER.match(code)
        if not match:
            return None
        year, quarter = int(match.group(1)), int(match.group(2))
        period = Period(dt.date(year, 3 * quarter - 2, 1), dt.date(year, 3 * quarter, 1))
        parts = tuple((m.strftime("%Y-%m"), m, m) for m in period.months())
    if year < FIRST_YEAR or period.end.date() > day:
        return None
    return ReleasePeriod(code, period, parts)


def offered_periods(*, today: dt.date | None = None, count: int = 8) -> list[str]:
    """The most recent ended periods, newest first."""
    day = today or timezone.localdate()
    found: list[str] = []
    if granularity() == "year":
        year = day.year - 1
        while len(found) < count and year >= FIRST_YEAR:
            found.append(str(year))
            year -= 1
        return found
    year, quarter = day.year, (day.month - 1) // 3  # the quarter before this one
    while len(found) < count:
        if quarter == 0:
            year, quarter = year - 1, 4
        if year < FIRST_YEAR:
            break
        found.append(f"{year}-Q{quarter}")
        quarter -= 1
    return found


# --- The tables -----------------------------------------------------------------------------

Counts = dict[tuple[str, str], int]  # (row key, column key) -> count


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    row_header: str
    column_header: str
    build: Callable[[ReleasePeriod], tuple[list[tuple[str, str]], list[tuple[str, str]], Counts]]


def _by_part(release: ReleasePeriod, month: dt.date) -> str | None:
    for code, first, last in release.parts:
        if first <= month <= last:
            return code
    return None


def _time_table(
    release: ReleasePeriod, measure: str, row: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], Counts]:
    counts: Counts = {}
    for key, month, n in (
        CaseTotal.objects.filter(
            fund=ALL_FUNDS,
            measure=measure,
            month__gte=release.period.first,
            month__lte=release.period.last,
        )
        .values(row, "month")
        .annotate(n=Sum("count"))
        .values_list(row, "month", "n")
    ):
        part = _by_part(release, month)
        if part is not None and n:
            counts[(key, part)] = counts.get((key, part), 0) + int(n)
    columns = [(code, code) for code, _first, _last in release.parts]
    return [], columns, counts


def outcome_by_time(release: ReleasePeriod) -> Any:
    _rows, columns, counts = _time_table(release, Measure.CLOSED, "outcome")
    rows = [(str(v), str(label)) for v, label in Case.Outcome.choices if v != Case.Outcome.MERGED]
    return rows, columns, counts


def _countries(keys: set[str]) -> list[tuple[str, str]]:
    return sorted(
        ((k, country_name(k) if k else "Not recorded") for k in keys), key=lambda kv: kv[1]
    )


def opened_by_country_and_time(release: ReleasePeriod) -> Any:
    _rows, columns, counts = _time_table(release, Measure.OPENED, "country")
    return _countries({k for k, _ in counts}), columns, counts


def _two(model: Any, release: ReleasePeriod, measure: str, row: str, column: str) -> Counts:
    counts: Counts = {}
    for a, b, n in (
        model.objects.filter(
            fund=ALL_FUNDS,
            measure=measure,
            month__gte=release.period.first,
            month__lte=release.period.last,
        )
        .values(row, column)
        .annotate(n=Sum("count"))
        .values_list(row, column, "n")
    ):
        if n:
            counts[(a, b)] = int(n)
    return counts


def _with_not_recorded(choices: list[tuple[Any, Any]]) -> list[tuple[str, str]]:
    return [*[(str(v), str(label)) for v, label in choices], ("", "Not recorded")]


def arrived_by_pathway_and_country(release: ReleasePeriod) -> Any:
    counts = _two(CaseTotal, release, Measure.ARRIVED, "pathway", "country")
    return _with_not_recorded(Programme.Kind.choices), _countries({b for _, b in counts}), counts


def arrived_by_gender_and_age(release: ReleasePeriod) -> Any:
    counts = _two(CaseRollup, release, Measure.ARRIVED, "gender", "age_band")
    return (
        _with_not_recorded(categories.GenderCategory.choices),
        _with_not_recorded(categories.AgeBand.choices),
        counts,
    )


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "closed_by_outcome",
        "Cases closed, by outcome",
        "Outcome",
        "Period",
        outcome_by_time,
    ),
    TableSpec(
        "opened_by_country",
        "Cases opened, by country of origin",
        "Country of origin",
        "Period",
        opened_by_country_and_time,
    ),
    TableSpec(
        "arrived_by_pathway_and_country",
        "People who reached safety (cases arrived), by pathway and country of origin",
        "Pathway",
        "Country of origin",
        arrived_by_pathway_and_country,
    ),
    TableSpec(
        "arrived_by_gender_and_age",
        "Cases arrived, by gender identity and age band",
        "Gender identity",
        "Age band",
        arrived_by_gender_and_age,
    ),
)


def build_release(release: ReleasePeriod) -> dict[str, Any]:
    """The suppressed tables of ``release`` (what a ``StatisticsRelease`` keeps)."""
    tables = []
    for spec in TABLES:
        rows, columns, counts = spec.build(release)
        if not rows:
            rows = [("", "Not recorded")]
        if not columns:
            columns = [("", "Not recorded")]
        grid = [[counts.get((r, c), 0) for c, _ in columns] for r, _ in rows]
        published = protect(grid)
        tables.append(
            {
                "name": spec.name,
                "title": spec.title,
                "row_header": spec.row_header,
                "column_header": spec.column_header,
                "rows": [{"code": r, "label": label} for r, label in rows]
                + [{"code": "total", "label": "Total"}],
                "columns": [{"code": c, "label": label} for c, label in columns]
                + [{"code": "total", "label": "Total"}],
                "cells": published.entries,
                "withheld": published.withheld_entirely,
            }
        )
    return {"period": release.code, "notes": list(NOTES), "tables": tables}


def as_json(release: dict[str, Any], published_at: dt.datetime) -> bytes:
    document = {**release, "published_at": published_at.isoformat(timespec="seconds")}
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def as_csv(release: dict[str, Any]) -> bytes:
    """One line per entry: table, row, column, value (a number, "<5" or "x")."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "table", "row", "column", "value"])
    for table in release["tables"]:
        for r, row in enumerate(table["rows"]):
            for c, column in enumerate(table["columns"]):
                writer.writerow(
                    [
                        release["period"],
                        table["name"],
                        row["label"],
                        column["label"],
                        table["cells"][r][c],
                    ]
                )
    return out.getvalue().encode()


def entries(release: dict[str, Any]) -> int:
    """How many entries a release has (the record count its audit entry keeps)."""
    return sum(len(t["rows"]) * len(t["columns"]) for t in release["tables"])
