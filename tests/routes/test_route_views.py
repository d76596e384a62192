"""The route pages: logistics of the desk list, add and read routes (each read recorded),
change status; everyone else gets a 404; bad input is a 400 with the message by the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.routes.models import Route, RouteLeg
from tests.cases.views.support import field_error, page, post, submit, text_of, top_errors
from tests.personas import sign_in_as
from tests.routes.conftest import LEG_NOTE

pytestmark = pytest.mark.django_db


def test_logistics_adds_a_route_and_is_sent_to_it(logistics: User) -> None:
    client = sign_in_as(logistics)
    response = submit(
        client,
        reverse("routes:list"),
        {"desk": str(logistics.memberships.get().desk_id), "code": "Alder", "notes": ""},
    )
    route = Route.objects.get(code="Alder")
    assert response.status_code == 302
    assert response["Location"] == reverse("routes:route", args=[route.pk])
    assert "Alder" in page(client, reverse("routes:list"))


def test_a_bad_code_name_is_a_400_by_the_field(logistics: User) -> None:
    client = sign_in_as(logistics)
    desk = str(logistics.memberships.get().desk_id)
    response = submit(client, reverse("routes:list"), {"desk": desk, "code": "<script>"})
    assert response.status_code == 400
    assert "code name" in " ".join(top_errors(text_of(response)))
    assert not Route.objects.exists()


def test_the_route_page_shows_legs_and_records_the_view(logistics: User, route: Route) -> None:
    client = sign_in_as(logistics)
    html = page(client, reverse("routes:route", args=[route.pk]))
    assert LEG_NOTE in html and "Tbilisi" in html
    assert AuditEntry.objects.filter(action="route.viewed", object_id=str(route.pk)).exists()


def test_a_leg_is_added_from_the_page(logistics: User, route: Route) -> None:
    client = sign_in_as(logistics)
    path = reverse("routes:route", args=[route.pk])
    response = submit(
        client,
        path,
        {"origin_country": "ge", "destination_country": "CA", "mode": "air", "risk": "low"},
    )
    assert response.status_code == 302
    leg = RouteLeg.objects.get(route=route, position=3)
    assert (leg.origin_country, leg.destination_country, leg.mode) == ("GE", "CA", "air")


def test_a_bad_leg_is_a_400_by_the_field(logistics: User, route: Route) -> None:
    client = sign_in_as(logistics)
    path = reverse("routes:route", args=[route.pk])
    response = submit(client, path, {"origin_country": "Georgia", "mode": "air", "risk": "low"})
    assert response.status_code == 400
    assert field_error(text_of(response), "origin_country")
    assert field_error(text_of(response), "destination_country")


def test_status_changes_by_post(logistics: User, route: Route) -> None:
    client = sign_in_as(logistics)
    response = post(client, reverse("routes:status", args=[route.pk]), {"status": "under_review"})
    assert response.status_code == 302
    assert Route.objects.get(pk=route.pk).status == "under_review"
    bad = post(client, reverse("routes:status", args=[route.pk]), {"status": "compromised"})
    assert bad.status_code == 400


def test_others_get_404(
    route: Route, caseworker: User, south_logistics: User, desk_lead: User
) -> None:
    for user in (caseworker, south_logistics, desk_lead):
        client = sign_in_as(user)
        assert client.get(reverse("routes:route", args=[route.pk])).status_code == 404
        assert client.get(reverse("routes:compromise", args=[route.pk])).status_code == 404
    # Logistics of another desk sees the list, without this route.
    assert "Rowan" not in page(sign_in_as(south_logistics), reverse("routes:list"))
    assert not AuditEntry.objects.filter(action="route.viewed").exists()
