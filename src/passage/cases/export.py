"""The case's own sections as one JSON-ready document, for "Export this case".

Decrypts everything it returns; it checks nothing. The caller (``casefields.services.export``,
which adds the admin-defined fields and checklists and is the only caller) has decided that
the actor works the case and may export it, and writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from passage.cases import queries
from passage.cases.models import Case, ContactChannel, Person
from passage.cases.services.people import TEXT_FIELDS

FORMAT = "passage.case-export"
VERSION = 1


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(person: Person) -> dict[str, Any]:
    row: dict[str, Any] = {"principal": person.is_principal}
    for name in TEXT_FIELDS:
        row[name] = getattr(person, name) or ""
    row["aliases"] = list(person.aliases or [])
    row["birth_date"] = person.birth_date or None
    row["age_years"] = person.age_years
    row["languages"] = list(person.languages or [])
    channels: list[ContactChannel] = list(person.channels.all())
    row["channels"] = [
        {"kind": c.kind or "", "value": c.value or "", "note": c.note or ""} for c in channels
    ]
    return row


def case_sections(case: Case) -> dict[str, Any]:
    """Reference, stage, people, narrative, triage, verification and consent of ``case``."""
    checks = [
        {
            "kind": item.kind,
            "recorded_at": _when(item.recorded_at),
            "recorded_by": item.recorded_by.username if item.recorded_by else None,
            "vouching_partner": item.vouching_partner.code if item.vouching_partner else None,
            "interviewer": item.interviewer.username if item.interviewer else None,
            "details": item.details or {},
            "note": item.note or "",
        }
        for item in queries.verification_items(case)
    ]
    consents = [
        {
            "recipient_kind": given.recipient_kind,
            "partner": given.partner.code if given.partner else None,
            "sections": list(given.sections),
            "given_on": _when(given.given_on),
            "withdrawn_at": _when(given.withdrawn_at),
            "how_given": given.how_given or "",
        }
        for given in queries.consents_of(case)
    ]
    factors = sorted(code for code, on in (case.triage_factors or {}).items() if on)
    return {
        "reference": case.reference,
        "desk": case.desk.name,
        "stage": case.stage,
        "stage_entered_at": _when(case.stage_entered_at),
        "opened_at": _when(case.opened_at),
        "closed_at": _when(case.closed_at),
        "outcome": case.outcome,
        "urgency": case.urgency,
        "country": case.country,
        "region": case.region,
        "reply_language": case.reply_language,
        "household_size": case.household_size,
        "people": [_person(p) for p in queries.people_of(case)],
        "narrative": case.narrative or "",
        "triage": {
            "factors": factors,
            "priority_level": case.priority_level,
            "priority_score": case.priority_score,
            "level_override": case.level_override,
            "level_override_reason": case.level_override_reason or "",
        },
        "verification": {"outcome": case.verification_outcome, "checks": checks},
        "consent": consents,
    }
