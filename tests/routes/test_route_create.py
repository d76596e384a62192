"""``route_create`` and ``route_leg_add``: logistics of the desk only, checked input, audited,
places and notes kept under the route's own key."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.routes.models import Route, RouteLeg
from passage.routes.services import routes
from tests.routes.conftest import LEG_NOTE

pytestmark = pytest.mark.django_db


def test_logistics_creates_a_route_with_ordered_legs(route: Route) -> None:
    legs = list(route.legs.order_by("position"))
    assert [leg.position for leg in legs] == [1, 2]
    assert legs[0].notes == LEG_NOTE
    assert legs[1].border_crossing is True
    assert legs[1].required_documents == ["international_passport"]
    assert route.status == Route.Status.ACTIVE
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"route.created", "route.leg_added"} <= actions


def test_the_route_has_its_own_data_key(route: Route) -> None:
    leg = route.legs.first()
    assert leg is not None
    assert leg.key_owner() == ("routes.route", route.pk)
    assert route.key_owner() == ("routes.route", route.pk)


def test_a_caseworker_may_not_create_routes(caseworker: User, desk_north: Desk) -> None:
    with pytest.raises(NotAllowed):
        routes.route_create(desk=desk_north, actor=caseworker, code="Birch")
    assert not Route.objects.exists()


def test_logistics_of_another_desk_may_not_create_routes_there(
    south_logistics: User, desk_north: Desk
) -> None:
    with pytest.raises(NotAllowed):
        routes.route_create(desk=desk_north, actor=south_logistics, code="Birch")


def test_code_names_are_checked_and_unique(logistics: User, desk_north: Desk, route: Route) -> None:
    with pytest.raises(InvalidInput):
        routes.route_create(desk=desk_north, actor=logistics, code="rowan")
    with pytest.raises(InvalidInput):
        routes.route_create(desk=desk_north, actor=logistics, code="<b>")


def test_bad_leg_input_is_refused(logistics: User, route: Route) -> None:
    for details in (
        routes.LegDetails(origin_country="Russia", destination_country="GE", mode="bus"),
        routes.LegDetails(origin_country="RU", destination_country="GE", mode="rocket"),
        routes.LegDetails(
            origin_country="RU",
            destination_country="GE",
            mode="bus",
            required_documents=("library_card",),
        ),
    ):
        with pytest.raises(InvalidInput):
            routes.route_leg_add(route=route, actor=logistics, details=details)
    assert RouteLeg.objects.filter(route=route).count() == 2


def test_others_may_not_add_legs(route: Route, caseworker: User, south_logistics: User) -> None:
    details = routes.LegDetails(origin_country="GE", destination_country="CA", mode="air")
    with pytest.raises(NotAllowed):
        routes.route_leg_add(route=route, actor=caseworker, details=details)
    with pytest.raises(CaseNotFound):
        routes.route_leg_add(route=route, actor=south_logistics, details=details)


def test_status_changes_but_compromised_stays(logistics: User, route: Route) -> None:
    routes.route_status_set(route=route, actor=logistics, status="under_review")
    assert Route.objects.get(pk=route.pk).status == "under_review"
    with pytest.raises(InvalidInput):
        routes.route_status_set(route=route, actor=logistics, status="compromised")
    routes.route_mark_compromised(route=route, actor=logistics, reason="driver was detained")
    with pytest.raises(NotAllowed):
        routes.route_status_set(route=route, actor=logistics, status="active")
