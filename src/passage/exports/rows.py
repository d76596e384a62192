"""What an export holds: the cases a filter selects, and their rows.

Redacted rows are the plain operational columns only (reference, desk, stage and dates,
outcome, urgency, priority level, country code, reply language, household size, source,
verification outcome): no name, contact, place (not even the coarse region), narrative or
admin-defined field, and nothing is decrypted. Full rows add, per consent section chosen, the
decrypted values of that section (``SECTION_COLUMNS``); a precise location, birth date,
gender identity or orientation is in no section and never leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from passage.accounts.models import Desk, User
from passage.cases import access
from passage.cases import queries as case_queries
from passage.cases.models import Case, Person

REDACTED_HEADER = (
    "reference",
    "desk",
    "stage",
    "stage_since",
    "opened_on",
    "closed_on",
    "outcome",
    "urgency",
    "priority_level",
    "country",
    "reply_language",
    "household_size",
    "source",
    "verification",
)

# The columns each consent section (``cases.models.SHAREABLE_SECTIONS``) adds to a full export.
SECTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("chosen_name", "legal_name", "pronouns", "languages"),
    "contact": ("contact_channels",),
    "household": ("household_members",),
    "needs": ("health_needs", "protection_needs"),
    "narrative": ("narrative",),
}


@dataclass(frozen=True)
class Filters:
    """What selects the cases (every one optional)."""

    desk: Desk | None = None
    stage: str = ""
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None


def cases_for(actor: User, filters: Filters) -> QuerySet[Case]:
    """The cases ``actor`` works (desk or assignee; never break-glass) that match ``filters``;
    merged tombstones are left out."""
    rows = access.worked_cases(actor).filter(merged_into__isnull=True)
    if filters.desk is not None:
        rows = rows.filter(desk=filters.desk)
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    if filters.opened_from is not None:
        rows = rows.filter(opened_at__date__gte=filters.opened_from)
    if filters.opened_to is not None:
        rows = rows.filter(opened_at__date__lte=filters.opened_to)
    return rows.select_related("desk").order_by("opened_at", "reference")


def _day(value: dt.datetime | None) -> str:
    return value.date().isoformat() if value is not None else ""


def redacted_row(case: Case) -> list[object]:
    """The plain columns of ``case`` (nothing decrypted)."""
    return [
        case.reference,
        case.desk.name,
        case.stage,
        _day(case.stage_entered_at),
        _day(case.opened_at),
        _day(case.closed_at),
        case.outcome,
        case.urgency,
        case.priority_level,
        case.country,
        case.reply_language,
        case.household_size,
        case.source,
        case.verification_outcome,
    ]


def redacted_rows(cases: QuerySet[Case]) -> Iterator[list[object]]:
    for case in cases.iterator(chunk_size=500):
        yield redacted_row(case)


def full_header(sections: list[str]) -> list[str]:
    header = list(REDACTED_HEADER)
    for section in sections:
        header.extend(SECTION_COLUMNS[section])
    return header


def _channels(person: Person) -> str:
    return "; ".join(f"{c.kind or ''}: {c.value or ''}" for c in person.channels.all())


def full_row(case: Case, sections: list[str]) -> list[object]:
    """The plain columns and the chosen sections of ``case``, decrypted."""
    row = redacted_row(case)
    people = case_queries.people_of(case)
    principal = next((p for p in people if p.is_principal), None)
    others = [p for p in people if not p.is_principal]
    for section in sections:
        if section == "person":
            row.extend(
                [
                    (principal.chosen_name or "") if principal else "",
                    (principal.legal_name or "") if principal else "",
                    (principal.pronouns or "") if principal else "",
                    ", ".join(principal.languages or []) if principal else "",
                ]
            )
        elif section == "contact":
            row.append(_channels(principal) if principal else "")
        elif section == "household":
            row.append(
                "; ".join(f"{p.chosen_name or ''} ({p.relationship or ''})".strip() for p in others)
            )
        elif section == "needs":
            row.extend(
                [
                    (principal.health_needs or "") if principal else "",
                    (principal.protection_needs or "") if principal else "",
                ]
            )
        elif section == "narrative":
            row.append(case.narrative or "")
    return row
