"""``route_mark_compromised``: flags every case that uses or plans to use the route, alerts
caseworkers and logistics of each case's desk (reference and kind only), audits, deletes
nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.audit.models import AuditEntry
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.routes.models import Route, RouteFlag, TravelLeg, TravelPlan
from passage.routes.services import routes
from tests.cases.views.conftest import NAME
from tests.routes.conftest import PlanTravel

pytestmark = pytest.mark.django_db

REASON = "the driver was stopped and questioned"


def test_cases_on_the_route_are_flagged_and_alerted(
    logistics: User,
    route: Route,
    north_case: Case,
    open_case: Callable[..., Case],
    plan_travel: PlanTravel,
) -> None:
    done = open_case("Done Person")
    elsewhere = open_case("Other Route Person")
    plan_travel(north_case, route=route)
    plan_travel(done, route=route, status=TravelLeg.Status.COMPLETED)
    plan_travel(elsewhere)  # no route

    flagged = routes.route_mark_compromised(route=route, actor=logistics, reason=REASON)

    assert [c.pk for c in flagged] == [north_case.pk]
    assert list(RouteFlag.objects.values_list("case_id", flat=True)) == [north_case.pk]
    stored = Route.objects.get(pk=route.pk)
    assert stored.status == Route.Status.COMPROMISED
    assert stored.compromised_at is not None
    assert REASON in (stored.notes or "")
    alerts = Alert.objects.filter(code=kinds.ROUTE_COMPROMISED)
    assert sorted(alerts.values_list("target_role", flat=True)) == ["caseworker", "logistics"]
    for alert in alerts:
        assert alert.case_reference == north_case.reference
        assert alert.target_desk_id == north_case.desk_id
        assert alert.object_id == str(north_case.pk)
        assert NAME not in kinds.render_message(alert.code, case_reference=alert.case_reference)
    actions = list(AuditEntry.objects.values_list("action", "object_id"))
    assert ("route.compromised", str(route.pk)) in actions
    assert ("case.route_compromised", str(north_case.pk)) in actions
    # Nothing deleted: the route, its legs and every plan are still there.
    assert stored.legs.count() == 2
    assert TravelPlan.objects.count() == 3


def test_a_plan_without_legs_counts_as_planning_to_use_it(
    logistics: User, route: Route, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan_travel(north_case, route=route, legs=())
    assert [c.pk for c in routes.cases_on(route)] == [north_case.pk]


def test_a_reason_is_needed_and_twice_is_refused(logistics: User, route: Route) -> None:
    with pytest.raises(InvalidInput):
        routes.route_mark_compromised(route=route, actor=logistics, reason="bad")
    assert Route.objects.get(pk=route.pk).status == Route.Status.ACTIVE
    routes.route_mark_compromised(route=route, actor=logistics, reason=REASON)
    with pytest.raises(NotAllowed):
        routes.route_mark_compromised(route=route, actor=logistics, reason=REASON)


def test_only_logistics_of_the_desk_may_mark_it(caseworker: User, route: Route) -> None:
    with pytest.raises(NotAllowed):
        routes.route_mark_compromised(route=route, actor=caseworker, reason=REASON)
    assert Route.objects.get(pk=route.pk).status == Route.Status.ACTIVE
    assert not Alert.objects.filter(code=kinds.ROUTE_COMPROMISED).exists()


def test_a_compromised_route_cannot_be_planned_on(
    logistics: User, route: Route, north_case: Case, plan_travel: PlanTravel
) -> None:
    routes.route_mark_compromised(route=route, actor=logistics, reason=REASON)
    with pytest.raises(NotAllowed):
        plan_travel(north_case, route=route)
