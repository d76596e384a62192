"""/staff/cases/<case>/pathways/ and an application's page: add, move, the quota message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.pathways.models import Application, Programme
from passage.pathways.services.applications import application_add, application_change
from tests.accounts.admin_support import post
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, reads, submit, text_of, top_errors

pytestmark = pytest.mark.django_db


def url(case: Case) -> str:
    return reverse("pathways:case", args=[case.pk])


def edit_url(app: Application) -> str:
    return reverse("pathways:application-edit", args=[app.case_id, app.pk])


def test_a_caseworker_adds_an_application_and_sees_it(
    signed_in: Signed, caseworker: User, north_case: Case, programme: Programme
) -> None:
    client = signed_in(caseworker)
    response = submit(
        client, url(north_case), {"programme": str(programme.pk), "reference": "CAN-77"}
    )
    assert response.status_code == 302
    content = page(client, url(north_case))
    assert "CAN-77" in content and "Canada emergency visas 2017" in content
    assert reads(north_case, "pathways")


def test_a_full_quota_is_a_clear_400(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case], programme: Programme
) -> None:
    for i in range(2):
        app = application_add(case=open_case(f"P{i}"), actor=caseworker, programme=programme)
        application_change(
            application=app, actor=caseworker, status="submitted", reference="", next_deadline=None
        )
    last = application_add(case=open_case("Last"), actor=caseworker, programme=programme)
    client = signed_in(caseworker)
    response = submit(client, edit_url(last), {"status": "submitted"})
    assert response.status_code == 400
    assert any("Every place of this programme is taken" in e for e in top_errors(text_of(response)))
    assert Application.objects.get(pk=last.pk).status == "preparing"


def test_bad_input_is_a_400_not_a_500(
    signed_in: Signed, caseworker: User, north_case: Case, programme: Programme
) -> None:
    client = signed_in(caseworker)
    response = submit(client, url(north_case), {"programme": "not-a-programme"})
    assert response.status_code == 400
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    response = submit(client, edit_url(app), {"status": "approved", "next_deadline": "soon"})
    assert response.status_code == 400
    response = submit(client, edit_url(app), {"status": "approved"})
    assert response.status_code == 400  # not submitted yet
    assert top_errors(text_of(response))


def test_colleagues_partners_and_outsiders_are_refused(
    signed_in: Signed,
    caseworker: User,
    colleague: User,
    partner_user: User,
    outsider: object,
    north_case: Case,
    programme: Programme,
) -> None:
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    for user in (colleague, partner_user):
        client = signed_in(user)
        page(client, url(north_case), status=404)
        page(client, edit_url(app), status=404)
        assert post(client, url(north_case), {"programme": str(programme.pk)}).status_code == 404
    assert outsider.get(url(north_case)).status_code == 302  # type: ignore[attr-defined]
    assert Application.objects.count() == 1
