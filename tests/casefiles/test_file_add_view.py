"""Adding a file /staff/cases/<id>/files/add/: the form, the upload (multipart), and errors
next to the field with a 400 for a file refused by its content or its size."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from passage.accounts.models import User
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from tests.casefiles.conftest import MARKER, jpeg_with_gps, pdf_with_author
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, form_token, page, text_of

pytestmark = pytest.mark.django_db


def add_url(case: Case) -> str:
    return reverse("casefiles:file-add", args=[case.pk])


def upload(client: Client, case: Case, name: str, data: bytes, description: str = "") -> object:
    token = form_token(client, add_url(case))
    return client.post(
        add_url(case),
        {
            "csrfmiddlewaretoken": token,
            "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "description": description,
        },
    )


def test_the_form_says_what_is_accepted_and_what_is_removed(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = page(signed_in(caseworker), add_url(north_case))
    assert 'enctype="multipart/form-data"' in content
    assert "at most 10 MB" in content
    assert "Location, camera and author details are removed" in content


def test_a_photo_is_added_stripped_and_the_list_shows_it(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = upload(client, north_case, "IMG_2041.jpg", jpeg_with_gps(), "the bruise")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("casefiles:files", args=[north_case.pk])  # type: ignore[index]
    row = CaseFile.objects.get(case=north_case)
    assert row.uploaded_by == caseworker and row.description == "the bruise"
    assert row.content.name == "IMG_2041.jpg"
    assert MARKER.encode() not in row.content.read()
    assert "File 1 added." in page(client, reverse("casefiles:files", args=[north_case.pk]))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "looks like a picture but is not"),
        ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100, "looks like a PDF but is not"),
        ("run.exe", b"MZ\x90\x00" + b"\x00" * 100, "not a picture, a PDF or a sound recording"),
    ],
)
def test_a_file_refused_by_its_content_is_a_400_next_to_the_field(
    signed_in: Signed, caseworker: User, north_case: Case, name: str, data: bytes, message: str
) -> None:
    response = upload(signed_in(caseworker), north_case, name, data, description="kept")
    assert response.status_code == 400  # type: ignore[attr-defined]
    content = text_of(response)  # type: ignore[arg-type]
    assert message in field_error(content, "file")
    assert "kept</textarea>" in content  # what was typed stays
    assert not CaseFile.objects.exists()


def test_a_file_over_the_limit_says_the_limit(
    signed_in: Signed, caseworker: User, north_case: Case, settings: Settings
) -> None:
    settings.PASSAGE_UPLOAD_FILE_BYTES = 2 * 1024 * 1024
    big = pdf_with_author(text="x" * (3 * 1024 * 1024))
    response = upload(signed_in(caseworker), north_case, "big.pdf", big)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert field_error(text_of(response), "file") == "Each file can be at most 2 MB."  # type: ignore[arg-type]
    assert not CaseFile.objects.exists()


def test_no_file_is_a_400(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    client = signed_in(caseworker)
    token = form_token(client, add_url(north_case))
    response = client.post(add_url(north_case), {"csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert field_error(text_of(response), "file")


def test_only_those_who_work_the_case_get_the_form(
    signed_in: Signed, colleague: User, partner_user: User, north_case: Case
) -> None:
    page(signed_in(colleague), add_url(north_case), status=404)
    page(signed_in(partner_user), add_url(north_case), status=404)
