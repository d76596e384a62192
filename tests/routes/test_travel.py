"""Travel plans and legs: only those who work the case, checked input, audited, booking state
follows the booking reference, a ticket is an encrypted case file attached to its leg."""

from __future__ import annotations

import datetime as dt

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles import services as casefiles
from passage.casefiles.queries import files_attached
from passage.cases.exceptions import CaseNotFound, InvalidInput
from passage.cases.models import Case
from passage.routes.models import TICKET_ATTACHMENT, Route, TravelLeg
from passage.routes.services import travel
from tests.casefiles.conftest import pdf_with_author
from tests.casework.conftest import view_of
from tests.routes.conftest import BOOKING, MEETING_POINT, PlanTravel, today

pytestmark = pytest.mark.django_db


def test_a_plan_follows_a_route_and_its_legs_keep_secrets_encrypted(
    route: Route, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan = plan_travel(north_case, route=route, legs=((2, True), (4, False)))
    legs = list(TravelLeg.objects.filter(plan=plan).order_by("position"))
    assert plan.route_id == route.pk
    assert [leg.position for leg in legs] == [1, 2]
    assert [leg.has_booking for leg in legs] == [True, False]
    assert legs[0].booking_reference == BOOKING
    assert legs[0].meeting_point == MEETING_POINT
    assert legs[0].key_owner() == ("cases.case", north_case.pk)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("case.travel_leg_added") == 2
    assert "case.travel_planned" in actions


def test_a_leg_is_updated_and_audited(
    logistics: User, north_case: Case, plan_travel: PlanTravel
) -> None:
    leg = TravelLeg.objects.get(plan=plan_travel(north_case))
    day = today()
    changed = travel.travel_leg_update(
        leg=leg,
        actor=logistics,
        details=travel.TravelLegDetails(
            departs_on=day, arrives_on=day, mode="air", status="booked", booking_reference="X1"
        ),
    )
    assert (changed.status, changed.mode, changed.has_booking) == ("booked", "air", True)
    assert changed.meeting_point is None
    assert AuditEntry.objects.filter(
        action="case.travel_leg_changed", object_id=str(leg.pk)
    ).exists()


def test_bad_dates_and_codes_are_refused(
    logistics: User, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan = plan_travel(north_case, legs=())
    day = today()
    for details in (
        travel.TravelLegDetails(departs_on=day, arrives_on=day - dt.timedelta(days=1), mode="bus"),
        travel.TravelLegDetails(departs_on=day, arrives_on=day, mode="teleport"),
        travel.TravelLegDetails(departs_on=day, arrives_on=day, mode="bus", status="lost"),
        travel.TravelLegDetails(departs_on=day, arrives_on=day, mode="bus", escort="x" * 2001),
    ):
        with pytest.raises(InvalidInput):
            travel.travel_leg_add(plan=plan, actor=logistics, details=details)
    assert not TravelLeg.objects.exists()


def test_only_who_works_the_case_plans_travel(
    south_logistics: User, north_case: Case, route: Route, south_case: Case, logistics: User
) -> None:
    with pytest.raises(CaseNotFound):
        travel.travel_plan_create(case=north_case, actor=south_logistics)
    with pytest.raises(CaseNotFound):
        travel.travel_plan_create(case=south_case, actor=logistics, route=route)


def test_a_route_of_another_desk_is_refused(
    south_logistics: User, route: Route, south_case: Case, colleague: User
) -> None:
    with pytest.raises(InvalidInput):
        travel.travel_plan_create(case=south_case, actor=south_logistics, route=route)


def test_a_ticket_is_a_case_file_attached_to_its_leg(
    logistics: User, north_case: Case, plan_travel: PlanTravel
) -> None:
    leg = TravelLeg.objects.get(plan=plan_travel(north_case))
    row = travel.travel_ticket_add(
        leg=leg,
        actor=logistics,
        upload=casefiles.Upload(name="ticket.pdf", data=pdf_with_author()),
    )
    assert (row.attached_kind, row.attached_id) == (TICKET_ATTACHMENT, leg.pk)
    found = files_attached(view_of(logistics, north_case), TICKET_ATTACHMENT, [leg.pk])
    assert [f.pk for f in found[leg.pk]] == [row.pk]
