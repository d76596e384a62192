"""/staff/pathways/programmes/: logistics keeps programmes; used and remaining places shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.pathways.models import Programme
from passage.pathways.services.applications import application_add, application_change
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, submit, text_of, top_errors

pytestmark = pytest.mark.django_db

LIST = reverse("pathways:programmes")


def test_logistics_adds_a_programme_and_sees_its_places(
    signed_in: Signed, logistics: User, caseworker: User, north_case: Case
) -> None:
    client = signed_in(logistics)
    response = submit(
        client,
        reverse("pathways:programme-new"),
        {"kind": "emergency_visa", "name": "Canada 2017", "quota": "40", "is_active": "on"},
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    application_change(
        application=app, actor=caseworker, status="submitted", reference="", next_deadline=None
    )
    content = page(client, LIST)
    assert "Canada 2017" in content
    assert '<td class="numeric">40</td>' in content  # quota
    assert '<td class="numeric">1</td>' in content  # used
    assert '<td class="numeric">39</td>' in content  # remaining


def test_lowering_the_quota_below_the_places_taken_is_a_400(
    signed_in: Signed, logistics: User, caseworker: User, north_case: Case, programme: Programme
) -> None:
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    application_change(
        application=app, actor=caseworker, status="submitted", reference="", next_deadline=None
    )
    client = signed_in(logistics)
    edit = reverse("pathways:programme-edit", args=[programme.pk])
    data = {"kind": "emergency_visa", "name": "x", "quota": "0", "is_active": "on"}
    response = submit(client, edit, data)
    assert response.status_code == 400
    assert any("already taken" in e for e in top_errors(text_of(response)))
    assert Programme.objects.get().quota == 2


def test_caseworkers_and_admins_are_refused(
    signed_in: Signed, caseworker: User, admin: User, programme: Programme
) -> None:
    for user in (caseworker, admin):
        client = signed_in(user)
        page(client, LIST, status=404)
        page(client, reverse("pathways:programme-edit", args=[programme.pk]), status=404)


def test_the_directory_link_and_the_navigation_follow_the_permissions(
    signed_in: Signed, logistics: User, desk_lead: User
) -> None:
    directory = f'href="{reverse("pathways:partners")}"'
    shown = page(signed_in(logistics), LIST)
    assert directory in shown
    assert f'href="{LIST}"' in shown  # "Pathways" in the navigation
    # A desk lead keeps programmes but never sees partners' contact details.
    lead = page(signed_in(desk_lead), LIST)
    assert directory not in lead and f'href="{LIST}"' in lead
