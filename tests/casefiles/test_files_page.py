"""The Files tab /staff/cases/<id>/files/: plain facts to a GET (no name, nothing recorded);
names and descriptions to a POST that records the read; who gets the tab at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.casefiles import services
from passage.cases.models import Case
from tests.accounts.admin_support import post
from tests.casefiles.conftest import AddFile, pdf_with_author
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, reads, submit, text_of

pytestmark = pytest.mark.django_db

FILE_NAME = "red passport scan KX-41.pdf"
DESCRIPTION = "Second page, with the registration stamp"


def files_url(case: Case) -> str:
    return reverse("casefiles:files", args=[case.pk])


def test_the_list_shows_plain_facts_only_and_records_nothing(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    add_file(north_case, pdf_with_author(), name=FILE_NAME, description=DESCRIPTION)
    content = page(signed_in(caseworker), files_url(north_case))
    assert "File 1" in content and "PDF document" in content and "caseworker" in content
    for hidden in (FILE_NAME, "KX-41", DESCRIPTION):
        assert hidden not in content
    assert "Show names and descriptions" in content
    assert 'aria-current="page">Files<' in content
    assert reads(north_case, "files") == []


def test_showing_names_is_one_recorded_read(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    add_file(north_case, pdf_with_author(), name=FILE_NAME, description=DESCRIPTION)
    client = signed_in(caseworker)
    response = submit(client, files_url(north_case))
    assert response.status_code == 200
    content = text_of(response)
    assert FILE_NAME in content and DESCRIPTION in content
    assert "Your view of this section is recorded in the audit log." in content
    assert reads(north_case, "files") == ["case.section_viewed.files"]


def test_a_removed_file_shows_as_removed_without_an_open_button(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    services.case_file_remove(case_file=row, actor=caseworker)
    content = page(signed_in(caseworker), files_url(north_case))
    assert "Removed" in content and "Open file 1" not in content


def test_the_empty_state_says_what_belongs_here(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = page(signed_in(caseworker), files_url(north_case))
    assert "No file has been added to this case." in content
    assert reverse("casefiles:file-add", args=[north_case.pk]) in content


def test_who_sees_the_tab(
    signed_in: Signed,
    caseworker: User,
    colleague: User,
    desk_lead: User,
    partner_user: User,
    north_case: Case,
    add_file: AddFile,
    break_glass: Callable[[Case], None],
) -> None:
    add_file(north_case, pdf_with_author(), name=FILE_NAME)
    url = files_url(north_case)
    page(signed_in(desk_lead), url)
    page(signed_in(colleague), url, status=404)
    page(signed_in(partner_user), url, status=404)
    assert post(signed_in(colleague), url).status_code == 404
    break_glass(north_case)
    content = page(signed_in(colleague), url)
    assert "Break-glass:" in content
    assert "Add a file" not in content and "Remove" not in content
    assert FILE_NAME in text_of(submit(signed_in(colleague), url))


def test_an_outsider_is_sent_to_sign_in(client: object, north_case: Case) -> None:
    from django.test import Client

    response = Client().get(files_url(north_case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:sign-in"))
