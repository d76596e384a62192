"""Travel plans of a case and their legs: plan, add a leg, update a leg, attach a ticket.

Every write needs the actor to work the case (desk or assignee, ``cases.access``); audit
entries name the case and the plan or leg (``object_type="travelplan"``/``"travelleg"``),
never a carrier, booking reference, escort or meeting point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.casefiles import services as casefiles
from passage.casefiles.models import CaseFile
from passage.cases import access as case_access
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import common
from passage.routes import access
from passage.routes.models import TICKET_ATTACHMENT, Mode, Route, TravelLeg, TravelPlan
from passage.routes.services.routes import MAX_TEXT


@dataclass(frozen=True)
class TravelLegDetails:
    departs_on: dt.date
    arrives_on: dt.date
    mode: str
    status: str = TravelLeg.Status.PLANNED
    carrier: str = ""
    booking_reference: str = ""
    escort: str = ""
    meeting_point: str = ""


def _text(value: str) -> str | None:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("Keep each field under 2000 characters."))
    return text or None


def _check(details: TravelLegDetails) -> None:
    if details.arrives_on < details.departs_on:
        raise InvalidInput(_("A leg cannot arrive before it departs."))
    if details.mode not in Mode.values:
        raise InvalidInput(_("Choose a transport mode."))
    if details.status not in TravelLeg.Status.values:
        raise InvalidInput(_("Choose a status."))


def travel_plan_create(
    *,
    case: Case,
    actor: User,
    route: Route | None = None,
    notes: str = "",
    request_id: str | None = None,
) -> TravelPlan:
    """A travel plan for ``case``, following ``route`` if given (a route of the case's desk
    that the actor may see in full, and not compromised)."""
    case_access.require_working(actor, case)
    if route is not None:
        # As stored now: the route may have been marked compromised since it was read.
        found = access.revealed_routes(actor).filter(pk=route.pk, desk_id=case.desk_id).first()
        if found is None:
            raise InvalidInput(_("Choose a route of the case's desk."))
        if found.status == Route.Status.COMPROMISED:
            raise NotAllowed(_("This route is compromised: choose another one."))
    with audit.atomic():
        locked = common.lock(case)
        plan = TravelPlan(case=locked, route=route, created_by=actor, notes=_text(notes))
        plan.save()
        common.record(
            actor,
            "case.travel_planned",
            locked,
            object_type="travelplan",
            object_id=str(plan.pk),
            request_id=request_id,
        )
    return TravelPlan.objects.select_related("case", "route").get(pk=plan.pk)


def _apply(leg: TravelLeg, details: TravelLegDetails) -> None:
    leg.departs_on = details.departs_on
    leg.arrives_on = details.arrives_on
    leg.mode = details.mode
    leg.status = details.status
    leg.carrier = _text(details.carrier)
    leg.booking_reference = _text(details.booking_reference)
    leg.escort = _text(details.escort)
    leg.meeting_point = _text(details.meeting_point)
    leg.has_booking = leg.booking_reference is not None
    leg.updated_at = timezone.now()


def travel_leg_add(
    *, plan: TravelPlan, actor: User, details: TravelLegDetails, request_id: str | None = None
) -> TravelLeg:
    """Add a leg at the end of ``plan``."""
    case = plan.case
    case_access.require_working(actor, case)
    _check(details)
    with audit.atomic():
        locked = common.lock(case)
        highest = plan.legs.aggregate(Max("position"))["position__max"] or 0
        leg = TravelLeg(plan=plan, position=highest + 1)
        _apply(leg, details)
        leg.save()
        common.record(
            actor,
            "case.travel_leg_added",
            locked,
            object_type="travelleg",
            object_id=str(leg.pk),
            request_id=request_id,
        )
    return TravelLeg.objects.select_related("plan__case").get(pk=leg.pk)


def travel_leg_update(
    *, leg: TravelLeg, actor: User, details: TravelLegDetails, request_id: str | None = None
) -> TravelLeg:
    """Change a leg's dates, status, booking, escort or meeting point."""
    case = leg.plan.case
    case_access.require_working(actor, case)
    _check(details)
    with audit.atomic():
        locked = common.lock(case)
        row = TravelLeg.objects.select_for_update().get(pk=leg.pk, plan__case=locked)
        _apply(row, details)
        row.save()
        common.record(
            actor,
            "case.travel_leg_changed",
            locked,
            object_type="travelleg",
            object_id=str(row.pk),
            request_id=request_id,
        )
    return TravelLeg.objects.select_related("plan__case").get(pk=row.pk)


def travel_ticket_add(
    *,
    leg: TravelLeg,
    actor: User,
    upload: casefiles.Upload | casefiles.CheckedUpload,
    request_id: str | None = None,
) -> CaseFile:
    """Store a ticket of ``leg`` as an encrypted case file attached to it."""
    return casefiles.case_file_add(
        case=leg.plan.case,
        actor=actor,
        upload=upload,
        attached_kind=TICKET_ATTACHMENT,
        attached_id=leg.pk,
        request_id=request_id,
    )
