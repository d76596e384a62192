"""The journey board: who moves in the next 14 days in the cases the viewer works, where they
should be now, legs without booking; names only for cases the viewer works (audited); only for
logistics."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.queries import people_of
from passage.documents.services import documents
from passage.routes import queries
from passage.routes.models import Route, TravelLeg
from tests.cases.views.conftest import NAME
from tests.cases.views.support import name_reads, page
from tests.personas import sign_in_as
from tests.routes.conftest import MEETING_POINT, PlanTravel, today

pytestmark = pytest.mark.django_db


def test_the_board_shows_who_moves_soon(
    logistics: User, north_case: Case, open_case: object, plan_travel: PlanTravel
) -> None:
    plan_travel(north_case, legs=((0, True), (5, False)))
    html = page(sign_in_as(logistics), reverse("routes:board"))
    assert north_case.reference in html
    assert NAME in html  # logistics works the case (same desk)
    assert name_reads(north_case) == 1
    assert "On leg 1" in html
    assert "1 leg" in html  # one without booking
    assert MEETING_POINT not in html  # the board decrypts nothing of the legs


def test_far_completed_and_foreign_legs_stay_off(
    logistics: User,
    south_logistics: User,
    north_case: Case,
    south_case: Case,
    plan_travel: PlanTravel,
) -> None:
    plan_travel(north_case, legs=((20, False),))
    plan_travel(south_case, legs=((1, False),), actor=south_logistics)
    assert queries.journey_board(logistics, today()) == []
    rows = queries.journey_board(south_logistics, today())
    assert [row.case.pk for row in rows] == [south_case.pk]
    TravelLeg.objects.filter(plan__case=south_case).update(status="completed")
    assert queries.journey_board(south_logistics, today()) == []


def test_not_for_caseworkers(caseworker: User, north_case: Case, plan_travel: PlanTravel) -> None:
    plan_travel(north_case)
    assert sign_in_as(caseworker).get(reverse("routes:board")).status_code == 404
    assert queries.journey_board(caseworker, today()) == []


def test_legs_lacking_a_required_document_are_shown(
    logistics: User, route: Route, north_case: Case, plan_travel: PlanTravel
) -> None:
    """Route leg 2 requires an international passport; the case's is only applied for."""
    plan_travel(north_case, route=route, legs=((1, True), (2, True)))
    person = people_of(north_case)[0]
    documents.document_add(
        case=north_case,
        person=person,
        actor=logistics,
        details=documents.DocumentDetails(kind="international_passport", status="applied"),
    )
    [row] = queries.journey_board(logistics, today())
    assert [(leg.position, names) for leg, names in row.lacking] == [
        (2, ["International passport"])
    ]
    html = page(sign_in_as(logistics), reverse("routes:board"))
    assert "leg 2 needs" in html and "International passport" in html


def test_a_document_in_hand_is_not_lacking(
    logistics: User, route: Route, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan_travel(north_case, route=route, legs=((1, True), (2, True)))
    documents.document_add(
        case=north_case,
        person=people_of(north_case)[0],
        actor=logistics,
        details=documents.DocumentDetails(kind="international_passport", status="have"),
    )
    [row] = queries.journey_board(logistics, today())
    assert row.lacking == [] and row.missing == []


def test_the_logistics_area_leads_to_the_board(logistics: User) -> None:
    html = page(sign_in_as(logistics), reverse("routes:list"))
    assert f'<a class="sidenav__item" href="{reverse("routes:board")}">Logistics</a>' in html
