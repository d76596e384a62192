"""Invariant 1 for routes and travel: a meeting point, a booking reference, an escort, plan
notes, a route's places and notes are in neither the database file (WAL included) nor a dump;
the plain columns beside them (route code name, country codes) are (positive controls)."""

from __future__ import annotations

from tests.conftest import ScratchInstall
from tests.crypto.test_at_rest import _forms, stored_bytes

MARKER = "Mrk-Routes-Nazran-7731"
CONTROL = "Control-Route-Code-4411"

WRITE = f"""
import datetime as dt
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.routes.models import RouteLeg, TravelLeg
from passage.routes.services import routes, travel
m = {MARKER!r}
desk = Desk.objects.create(name="desk-a")
user = User.objects.create(username="logistics")
RoleGrant.objects.create(user=user, role="logistics")
Membership.objects.create(user=user, desk=desk)
case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name="P"))
route = routes.route_create(desk=desk, actor=user, code={CONTROL!r}, notes=m + "-route-notes")
routes.route_leg_add(route=route, actor=user, details=routes.LegDetails(
    origin_country="RU", destination_country="GE", mode="bus", origin=m + "-origin",
    transit=m + "-transit", destination=m + "-destination", notes=m + "-leg-notes"))
plan = travel.travel_plan_create(case=case, actor=user, route=route, notes=m + "-plan")
day = dt.date(2026, 5, 1)
travel.travel_leg_add(plan=plan, actor=user, details=travel.TravelLegDetails(
    departs_on=day, arrives_on=day, mode="bus", carrier=m + "-carrier",
    booking_reference=m + "-booking", escort=m + "-escort", meeting_point=m + "-meeting"))
leg = TravelLeg.objects.get()
assert leg.meeting_point == m + "-meeting" and leg.booking_reference == m + "-booking"
assert RouteLeg.objects.get().transit == m + "-transit"
print("written")
"""


def test_meeting_points_bookings_and_route_places_are_not_at_rest(
    scratch_install: ScratchInstall,
) -> None:
    assert "written" in scratch_install.python(WRITE).stdout
    blob, where = stored_bytes(scratch_install)
    for form in _forms(MARKER):
        assert form not in blob, f"plaintext marker found in {where}"
    for control in (CONTROL, "GE"):
        assert control.encode() in blob, f"control {control} missing from {where}"
