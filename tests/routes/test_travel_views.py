"""The Travel tab of a case and its leg pages: readers see the plans (recorded), workers plan
and change legs and attach tickets; caseworkers see a route's code and status, never its
legs; others 404; bad input is a 400."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from passage.accounts.models import User
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from passage.routes.models import TICKET_ATTACHMENT, Route, TravelLeg, TravelPlan
from tests.casefiles.conftest import pdf_with_author
from tests.cases.views.support import field_error, form_token, page, reads, submit, text_of
from tests.personas import sign_in_as
from tests.routes.conftest import BOOKING, LEG_NOTE, MEETING_POINT, PlanTravel, today

pytestmark = pytest.mark.django_db


def test_the_tab_shows_plans_and_records_the_read(
    caseworker: User, route: Route, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan_travel(north_case, route=route, legs=((2, True),))
    html = page(sign_in_as(caseworker), reverse("routes:travel", args=[north_case.pk]))
    assert MEETING_POINT in html and BOOKING in html
    assert "Rowan" in html  # the route's code name and status...
    assert LEG_NOTE not in html and "Tbilisi" not in html  # ...never its legs
    assert "case.section_viewed.travel" in reads(north_case)


def test_logistics_starts_a_plan_on_a_route(
    logistics: User, route: Route, north_case: Case
) -> None:
    client = sign_in_as(logistics)
    path = reverse("routes:travel", args=[north_case.pk])
    response = submit(client, path, {"route": str(route.pk)})
    assert response.status_code == 302
    assert TravelPlan.objects.get(case=north_case).route_id == route.pk


def test_a_leg_is_added_and_changed(
    caseworker: User, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan = plan_travel(north_case, legs=())
    client = sign_in_as(caseworker)
    day = today().isoformat()
    data = {"departs_on": day, "arrives_on": day, "mode": "rail", "status": "planned"}
    add = submit(client, reverse("routes:leg-add", args=[north_case.pk, plan.pk]), data)
    assert add.status_code == 302
    leg = TravelLeg.objects.get(plan=plan)
    assert not leg.has_booking
    edit = submit(
        client,
        reverse("routes:leg-edit", args=[north_case.pk, leg.pk]),
        {**data, "status": "booked", "booking_reference": "ZX81"},
    )
    assert edit.status_code == 302
    leg.refresh_from_db()
    assert (leg.status, leg.booking_reference, leg.has_booking) == ("booked", "ZX81", True)


def test_arriving_before_departing_is_a_400(
    caseworker: User, north_case: Case, plan_travel: PlanTravel
) -> None:
    plan = plan_travel(north_case, legs=())
    day = today()
    response = submit(
        sign_in_as(caseworker),
        reverse("routes:leg-add", args=[north_case.pk, plan.pk]),
        {
            "departs_on": day.isoformat(),
            "arrives_on": (day - dt.timedelta(days=2)).isoformat(),
            "mode": "rail",
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert field_error(text_of(response), "arrives_on")
    assert not TravelLeg.objects.exists()


def test_a_ticket_is_attached(caseworker: User, north_case: Case, plan_travel: PlanTravel) -> None:
    leg = TravelLeg.objects.get(plan=plan_travel(north_case))
    client = sign_in_as(caseworker)
    edit = reverse("routes:leg-edit", args=[north_case.pk, leg.pk])
    token = form_token(client, edit)
    response = client.post(
        reverse("routes:ticket", args=[north_case.pk, leg.pk]),
        {
            "csrfmiddlewaretoken": token,
            "file": SimpleUploadedFile("ticket.pdf", pdf_with_author(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    row = CaseFile.objects.get(case=north_case)
    assert (row.attached_kind, row.attached_id) == (TICKET_ATTACHMENT, leg.pk)
    assert "File 1" in page(client, reverse("routes:travel", args=[north_case.pk]))


def test_another_desk_gets_404(
    colleague: User, south_logistics: User, north_case: Case, plan_travel: PlanTravel
) -> None:
    leg = TravelLeg.objects.get(plan=plan_travel(north_case))
    for user in (colleague, south_logistics):
        client = sign_in_as(user)
        assert client.get(reverse("routes:travel", args=[north_case.pk])).status_code == 404
        path = reverse("routes:leg-edit", args=[north_case.pk, leg.pk])
        assert client.get(path).status_code == 404


def test_a_refused_ticket_is_a_400_and_the_leg_page_is_a_recorded_read(
    caseworker: User, north_case: Case, plan_travel: PlanTravel
) -> None:
    leg = TravelLeg.objects.get(plan=plan_travel(north_case))
    client = sign_in_as(caseworker)
    edit = reverse("routes:leg-edit", args=[north_case.pk, leg.pk])
    assert MEETING_POINT in page(client, edit)
    assert "case.section_viewed.travel" in reads(north_case)
    response = client.post(
        reverse("routes:ticket", args=[north_case.pk, leg.pk]),
        {
            "csrfmiddlewaretoken": form_token(client, edit),
            "file": SimpleUploadedFile("ticket.exe", b"MZ\x90\x00 not a ticket", "text/plain"),
        },
    )
    assert response.status_code == 400
    assert field_error(text_of(response), "file")
    assert not CaseFile.objects.filter(case=north_case).exists()
