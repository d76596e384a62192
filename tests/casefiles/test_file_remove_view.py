"""Removing a file /staff/cases/<id>/files/<file>/remove/: a page that says what will happen,
one POST behind a fresh second factor, and the tombstone in the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from tests.casefiles.conftest import AddFile
from tests.cases.views.conftest import Signed
from tests.cases.views.support import age_second_factor, page, step_up_location, submit

pytestmark = pytest.mark.django_db


def remove_url(row: CaseFile) -> str:
    return reverse("casefiles:file-remove", args=[row.case_id, row.pk])


def test_removing_asks_then_erases(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    client = signed_in(caseworker)
    content = page(client, remove_url(row))
    assert "erased for good" in content
    response = submit(client, remove_url(row))
    assert response.status_code == 302
    assert response["Location"] == reverse("casefiles:files", args=[north_case.pk])
    again = CaseFile.objects.get(pk=row.pk)
    assert again.is_removed and again.content is None
    page(client, remove_url(row), status=404)


def test_removing_needs_a_fresh_second_factor(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    client = signed_in(caseworker)
    age_second_factor(client)
    response = client.get(remove_url(row))
    assert response.status_code == 302
    assert response["Location"] == step_up_location(remove_url(row))


def test_only_those_who_work_the_case_remove(
    signed_in: Signed, colleague: User, partner_user: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    page(signed_in(colleague), remove_url(row), status=404)
    page(signed_in(partner_user), remove_url(row), status=404)
    assert not CaseFile.objects.get(pk=row.pk).is_removed
