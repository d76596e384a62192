"""Marking a route compromised from its page: the page says what will happen and which cases
are flagged; the POST flags them, alerts, and the flag shows on the case summary, the Travel
tab and the journey board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.cases.models import Case
from passage.routes.models import Route
from tests.cases.views.support import page, submit, text_of, top_errors
from tests.personas import sign_in_as
from tests.routes.conftest import PlanTravel

pytestmark = pytest.mark.django_db


def test_marking_flags_the_case_everywhere(
    logistics: User, caseworker: User, route: Route, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan_travel(north_case, route=route)
    client = sign_in_as(logistics)
    path = reverse("routes:compromise", args=[route.pk])
    assert north_case.reference in page(client, path)
    response = submit(client, path, {"reason": "the border post has our driver's photo"})
    assert response.status_code == 302
    assert Route.objects.get(pk=route.pk).status == Route.Status.COMPROMISED
    assert (
        Alert.objects.filter(
            code=kinds.ROUTE_COMPROMISED, case_reference=north_case.reference
        ).count()
        == 2
    )
    summary = page(sign_in_as(caseworker), reverse("cases:case", args=[north_case.pk]))
    assert "Route compromised:" in summary and "Rowan" in summary
    assert "route compromised" in page(client, reverse("routes:board"))
    assert "Route compromised:" in page(client, reverse("routes:travel", args=[north_case.pk]))


def test_a_short_reason_is_a_400(logistics: User, route: Route) -> None:
    client = sign_in_as(logistics)
    response = submit(client, reverse("routes:compromise", args=[route.pk]), {"reason": "bad"})
    assert response.status_code == 400
    assert top_errors(text_of(response))
    assert Route.objects.get(pk=route.pk).status == Route.Status.ACTIVE


def test_twice_is_refused_with_a_message(logistics: User, route: Route) -> None:
    client = sign_in_as(logistics)
    path = reverse("routes:compromise", args=[route.pk])
    submit(client, path, {"reason": "the border post has our driver's photo"})
    again = submit(client, path, {"reason": "the border post has our driver's photo"})
    assert again.status_code == 400
    assert "already" in " ".join(top_errors(text_of(again)))


def test_a_case_without_flags_shows_no_banner(caseworker: User, north_case: Case) -> None:
    summary = page(sign_in_as(caseworker), reverse("cases:case", args=[north_case.pk]))
    assert "Route compromised:" not in summary
