"""Export this case (the page): step-up, the file only on POST, attachment named by the
reference, no-store, audited; a GET only explains."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.casefields.models import FieldDefinition
from passage.casefields.services.values import field_values_set
from passage.cases.models import Case
from tests.cases.helpers import audit_entries
from tests.cases.views.support import age_second_factor, page, step_up_location, submit
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db


def export_url(case: Case) -> str:
    return reverse("casefields:case-export", args=[case.pk])


def test_the_file_holds_the_field_and_comes_only_from_a_post(
    choice_field: FieldDefinition, north_case: Case, caseworker: User
) -> None:
    field_values_set(case=north_case, actor=caseworker, values={choice_field.pk: "Not registered"})
    client = sign_in_as(caseworker)
    html = page(client, export_url(north_case))
    assert "Download the file" in html and "Not registered" not in html
    assert audit_entries("case.exported", north_case.pk) == []
    response = submit(client, export_url(north_case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{north_case.reference}.json"'
    assert "no-store" in response["Cache-Control"].split(", ")
    document = json.loads(response.content)
    assert document["reference"] == north_case.reference
    assert {
        "section": "person",
        "label": "UNHCR status",
        "kind": "choice",
        "value": "Not registered",
        "retired": False,
    } in document["fields"]
    assert len(audit_entries("case.exported", north_case.pk)) == 1


def test_an_old_second_factor_is_asked_again_before_anything(
    north_case: Case, caseworker: User
) -> None:
    client = sign_in_as(caseworker)
    token_page = page(client, reverse("staff:sessions"))
    token = token_page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    age_second_factor(client)
    for response in (
        client.get(export_url(north_case)),
        client.post(export_url(north_case), {"csrfmiddlewaretoken": token}),
    ):
        assert response.status_code == 302
        assert response["Location"] == step_up_location(export_url(north_case))
    assert audit_entries("case.exported", north_case.pk) == []


def test_those_who_may_not_export_get_404(
    north_case: Case, colleague: User, verifier: User, admin: User, outsider: object
) -> None:
    for user in (colleague, verifier, admin):
        client = sign_in_as(user)
        assert client.get(export_url(north_case)).status_code == 404, user.username
    assert audit_entries("case.exported", north_case.pk) == []


def test_a_merged_tombstone_cannot_be_exported(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    from passage.cases.services import duplicates

    keep, gone = open_case("Kept"), open_case("Gone")
    duplicates.cases_merge(survivor=keep, merged=gone, actor=caseworker)
    client = sign_in_as(caseworker)
    response = submit(client, export_url(gone))
    assert response.status_code == 400
    assert "merged" in response.content.decode()
