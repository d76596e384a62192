"""Reads of routes, travel plans and the journey board, filtered by what the viewer may see."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.cases import access as case_access
from passage.cases.models import Case
from passage.cases.queries import uuid_or_none
from passage.documents.models import PersonDocument
from passage.documents.queries import missing_documents
from passage.routes import access
from passage.routes.models import Route, RouteFlag, RouteLeg, TravelLeg, TravelPlan

BOARD_DAYS = 14


def routes_for(viewer: User) -> QuerySet[Route]:
    """Routes whose details the viewer may see (logistics of their desks)."""
    return access.revealed_routes(viewer).select_related("desk")


def route_for(viewer: User, route_id: object) -> Route | None:
    pk = uuid_or_none(route_id)
    if pk is None:
        return None
    return routes_for(viewer).filter(pk=pk).first()


def legs_of(route: Route) -> list[RouteLeg]:
    return list(route.legs.order_by("position"))


def route_choices(viewer: User, case: Case) -> QuerySet[Route]:
    """Routes a travel plan of ``case`` may follow: revealed, of its desk, not compromised."""
    return routes_for(viewer).filter(desk_id=case.desk_id).exclude(status=Route.Status.COMPROMISED)


def plans_of(case: Case) -> list[TravelPlan]:
    return list(
        TravelPlan.objects.filter(case=case).select_related("route").prefetch_related("legs")
    )


def plan_of(case: Case, plan_id: object) -> TravelPlan | None:
    pk = uuid_or_none(plan_id)
    if pk is None:
        return None
    return TravelPlan.objects.filter(case=case, pk=pk).select_related("case", "route").first()


def leg_of(case: Case, leg_id: object) -> TravelLeg | None:
    pk = uuid_or_none(leg_id)
    if pk is None:
        return None
    return TravelLeg.objects.filter(plan__case=case, pk=pk).select_related("plan__case").first()


def flags_of(case: Case) -> list[RouteFlag]:
    """Compromised-route flags of a case, and of cases merged into it (their plans moved to
    it); route code and time only."""
    return list(
        RouteFlag.objects.filter(Q(case=case) | Q(case__merged_into=case)).select_related("route")
    )


@dataclass
class BoardRow:
    case: Case
    legs: list[TravelLeg]
    current: TravelLeg | None
    unbooked: list[TravelLeg]
    flagged: bool
    routes: list[str] = field(default_factory=list)
    # The document kinds the case lacks (passage.documents: missing, applied for, expired)...
    missing: list[str] = field(default_factory=list)
    # ...and the legs whose route leg requires one of them, with those kinds.
    lacking: list[tuple[TravelLeg, list[str]]] = field(default_factory=list)


def document_label(code: str) -> str:
    """The name of a document kind code (the documents app's own label)."""
    try:
        return str(PersonDocument.Kind(code).label)
    except ValueError:
        return code


def _required(legs: list[TravelLeg]) -> dict[tuple[uuid.UUID, int], list[str]]:
    """Required document codes of the route legs the travel legs follow, by (route, position):
    a travel leg of a plan on a route is its route leg of the same position."""
    route_ids = {leg.plan.route_id for leg in legs if leg.plan.route_id}
    rows = RouteLeg.objects.filter(route_id__in=route_ids).values_list(
        "route_id", "position", "required_documents"
    )
    return {(route_id, position): list(codes or []) for route_id, position, codes in rows}


def _lacking(
    legs: list[TravelLeg], required: dict[tuple[uuid.UUID, int], list[str]], lacks: set[str]
) -> list[tuple[TravelLeg, list[str]]]:
    found = []
    for leg in legs:
        if leg.plan.route_id is None:
            continue
        needed = [c for c in required.get((leg.plan.route_id, leg.position), []) if c in lacks]
        if needed:
            found.append((leg, [document_label(code) for code in needed]))
    return found


def journey_board(viewer: User, today: dt.date) -> list[BoardRow]:
    """Who moves in the next 14 days (or is on the way now), in the cases the viewer works.

    Only for logistics (``Perm.LOGISTICS_REVEAL``); a leg is on the board when it is not
    completed and overlaps today .. today + 14 days.
    """
    if not viewer.may(Perm.LOGISTICS_REVEAL):
        return []
    horizon = today + dt.timedelta(days=BOARD_DAYS)
    legs = list(
        TravelLeg.objects.filter(
            plan__case__in=case_access.worked_cases(viewer).filter(merged_into__isnull=True),
            departs_on__lte=horizon,
            arrives_on__gte=today,
        )
        .exclude(status=TravelLeg.Status.COMPLETED)
        .select_related("plan__case__desk", "plan__route")
        .order_by("departs_on", "position")
    )
    by_case: dict[uuid.UUID, list[TravelLeg]] = {}
    for leg in legs:
        by_case.setdefault(leg.plan.case_id, []).append(leg)
    flags = RouteFlag.objects.filter(Q(case_id__in=by_case) | Q(case__merged_into__in=by_case))
    flagged = {
        merged_into or case_id
        for case_id, merged_into in flags.values_list("case_id", "case__merged_into_id")
    }
    lacks = missing_documents(by_case)
    required = _required(legs)
    rows = []
    for found in by_case.values():
        case = found[0].plan.case
        current = next(
            (
                leg
                for leg in found
                if leg.status == TravelLeg.Status.TRAVELLING
                or leg.departs_on <= today <= leg.arrives_on
            ),
            None,
        )
        rows.append(
            BoardRow(
                case=case,
                legs=found,
                current=current,
                unbooked=[leg for leg in found if not leg.has_booking],
                flagged=case.pk in flagged,
                routes=sorted({leg.plan.route.code for leg in found if leg.plan.route}),
                missing=[document_label(code) for code in lacks.get(case.pk, [])],
                lacking=_lacking(found, required, set(lacks.get(case.pk, []))),
            )
        )
    rows.sort(key=lambda row: (row.legs[0].departs_on, row.case.reference))
    return rows
