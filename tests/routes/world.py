"""What the access matrix's world needs of routes: a North route (made by a logistics
coordinator of the North desk, who is not one of the matrix's personas) and a travel plan with
one leg on the North case (by the caseworker), by id (``tests/test_access_matrix.py``)."""

from __future__ import annotations

from django.utils import timezone

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.routes.services import routes, travel
from tests.personas import make_staff


def routes_world(case: Case, caseworker: User) -> dict[str, str]:
    logistics = make_staff("matrix-routes-logistics", Role.LOGISTICS, desks=(case.desk,))
    route = routes.route_create(desk=case.desk, actor=logistics, code="Matrix")
    plan = travel.travel_plan_create(case=case, actor=caseworker)
    today = timezone.localdate()
    leg = travel.travel_leg_add(
        plan=plan,
        actor=caseworker,
        details=travel.TravelLegDetails(departs_on=today, arrives_on=today, mode="bus"),
    )
    return {"route": str(route.pk), "travel_plan": str(plan.pk), "travel_leg": str(leg.pk)}
