"""Reads of evidence, filtered by what the viewer may see.

A case's testimony: for those who work the case (desk or assignee) and hold
``Perm.EVIDENCE_WORK``; lists use plain columns only. The corroboration view counts distinct
cases across every desk, and shows counts only, never which cases. Bundles: members of the
bundle's desk.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.casefiles.models import CaseFile
from passage.cases.queries import CaseView, uuid_or_none
from passage.evidence.models import (
    Bundle,
    Incident,
    Perpetrator,
    Place,
    Testimony,
    TestimonyLink,
    Violation,
)
from passage.evidence.services.testimony import ATTACHED_KIND


def may_work_evidence(view: CaseView, user: User) -> bool:
    return view.works and user.may(Perm.EVIDENCE_WORK)


def testimonies_of(view: CaseView) -> list[Testimony]:
    return list(
        Testimony.objects.filter(case=view.case).select_related(
            "recorded_by", "consent_recorded_by", "withdrawn_by"
        )
    )


def testimony_of(view: CaseView, testimony_id: object) -> Testimony | None:
    pk = uuid_or_none(testimony_id)
    if pk is None:
        return None
    return Testimony.objects.filter(case=view.case, pk=pk).select_related("case").first()


def files_of(testimony: Testimony) -> list[CaseFile]:
    return list(
        CaseFile.objects.filter(
            case_id=testimony.case_id,
            attached_kind=ATTACHED_KIND,
            attached_id=testimony.pk,
            removed_at__isnull=True,
        )
    )


def incidents_of(view: CaseView) -> list[Incident]:
    return list(Incident.objects.filter(case=view.case).select_related("place"))


@dataclass(frozen=True)
class Linked:
    places: list[Place]
    perpetrators: list[Perpetrator]
    incidents: list[Incident]


def links_of(testimony: Testimony) -> Linked:
    links = list(
        TestimonyLink.objects.filter(testimony=testimony).select_related(
            "place", "perpetrator", "incident", "incident__place"
        )
    )
    return Linked(
        places=[link.place for link in links if link.place is not None],
        perpetrators=[link.perpetrator for link in links if link.perpetrator is not None],
        incidents=[link.incident for link in links if link.incident is not None],
    )


def places_all() -> QuerySet[Place]:
    return Place.objects.all()


def perpetrators_all() -> QuerySet[Perpetrator]:
    return Perpetrator.objects.all()


def place(place_id: object) -> Place | None:
    pk = uuid_or_none(place_id)
    return Place.objects.filter(pk=pk).first() if pk else None


# --- Corroboration -------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    label: str
    cases: int


@dataclass(frozen=True)
class Corroboration:
    places: list[Count]
    perpetrators: list[Count]
    patterns: list[Count]
    patterns_by_place: list[Count]


def _live_links() -> QuerySet[TestimonyLink]:
    """Links of testimonies whose consent stands, on cases that are not merged tombstones."""
    return TestimonyLink.objects.filter(
        testimony__withdrawn_at__isnull=True, testimony__case__merged_into__isnull=True
    )


def _counted(pairs: dict[Any, set[uuid.UUID]], labels: dict[Any, str]) -> list[Count]:
    rows = [Count(labels[key], len(cases)) for key, cases in pairs.items() if key in labels]
    return sorted(rows, key=lambda c: (-c.cases, c.label))


def corroboration() -> Corroboration:
    """How many independent testimonies (distinct cases) name each place, perpetrator and
    pattern (violation type, and violation type at a place). Across every desk; counts only:
    nothing here says which cases, or whose desk they are on."""
    places: dict[Any, set[uuid.UUID]] = defaultdict(set)
    perpetrators: dict[Any, set[uuid.UUID]] = defaultdict(set)
    patterns: dict[Any, set[uuid.UUID]] = defaultdict(set)
    by_place: dict[Any, set[uuid.UUID]] = defaultdict(set)
    live = _live_links()
    for place_id, case_id in live.filter(place__isnull=False).values_list(
        "place_id", "testimony__case_id"
    ):
        places[place_id].add(case_id)
    for perpetrator_id, case_id in live.filter(perpetrator__isnull=False).values_list(
        "perpetrator_id", "testimony__case_id"
    ):
        perpetrators[perpetrator_id].add(case_id)
    for violation, place_id, case_id in live.filter(incident__isnull=False).values_list(
        "incident__violation", "incident__place_id", "testimony__case_id"
    ):
        patterns[violation].add(case_id)
        if place_id is not None:
            places[place_id].add(case_id)
            by_place[(violation, place_id)].add(case_id)
    place_codes = {p.pk: p.code for p in Place.objects.all()}
    violations = {code: str(label) for code, label in Violation.choices}
    return Corroboration(
        places=_counted(places, place_codes),
        perpetrators=_counted(perpetrators, {p.pk: p.code for p in Perpetrator.objects.all()}),
        patterns=_counted(patterns, violations),
        patterns_by_place=_counted(
            by_place,
            {
                (v, p): f"{violations[v]} · {place_codes[p]}"
                for v, p in by_place
                if v in violations and p in place_codes
            },
        ),
    )


# --- Bundles -------------------------------------------------------------------------------


def bundles_for(user: User) -> QuerySet[Bundle]:
    if user.partner_id is not None or not user.may(Perm.EVIDENCE_WORK):
        return Bundle.objects.none()
    return Bundle.objects.filter(desk_id__in=user.memberships.values("desk_id")).select_related(
        "desk", "created_by", "approved_by"
    )


def bundle_for(user: User, bundle_id: object) -> Bundle | None:
    pk = uuid_or_none(bundle_id)
    if pk is None:
        return None
    return bundles_for(user).filter(pk=pk).first()
