"""/staff/cases/<case>/documents/: each person's documents (a recorded read), the form to
record one with a scan, and who may read and write."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from passage.accounts.models import User
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from passage.documents.models import DOCUMENT_ATTACHMENT, PersonDocument
from tests.accounts.admin_support import post
from tests.casefiles.conftest import MARKER, jpeg_with_gps
from tests.cases.views.conftest import NAME, Signed
from tests.cases.views.support import field_error, form_token, page, reads, text_of
from tests.documents.conftest import NUMBER, Add

pytestmark = pytest.mark.django_db


def url(case: Case) -> str:
    return reverse("documents:documents", args=[case.pk])


def record(client: Client, case: Case, **extra: Any) -> Any:
    token = form_token(client, url(case))
    data = {
        "csrfmiddlewaretoken": token,
        "person": str(case.people.get(is_principal=True).pk),
        "kind": "international_passport",
        "status": "have",
        "number": NUMBER,
        "issuing_country": "ru",
        "expires_on": "2031-05-04",
        "notes": "",
        **extra,
    }
    return client.post(url(case), data)


def test_a_caseworker_records_a_document_with_a_scan(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    form = page(client, url(north_case))
    assert 'enctype="multipart/form-data"' in form and 'name="scan-file"' in form
    assert NAME in form  # the person is named in the choice
    scan = SimpleUploadedFile("passport.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = record(client, north_case, **{"scan-file": scan, "scan-description": "p. 2"})
    assert response.status_code == 302
    document = PersonDocument.objects.get()
    assert (document.number, document.issuing_country, str(document.expires_on)) == (
        NUMBER,
        "RU",
        "2031-05-04",
    )
    stored = CaseFile.objects.get()
    assert (stored.attached_kind, stored.attached_id) == (DOCUMENT_ATTACHMENT, document.pk)
    assert MARKER.encode() not in stored.content.read()
    shown = page(client, url(north_case))
    assert NUMBER in shown and "International passport" in shown and "Have it" in shown
    download = reverse("casefiles:file-download", args=[north_case.pk, stored.pk])
    assert f'action="{download}"' in shown and "Open file 1" in shown
    assert reverse("documents:document-edit", args=[north_case.pk, document.pk]) in shown
    assert reads(north_case, "documents")


def test_the_documents_tab_is_on_the_case_page(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    shown = page(signed_in(caseworker), reverse("cases:case", args=[north_case.pk]))
    assert f'href="{url(north_case)}"' in shown


def test_bad_input_is_shown_next_to_the_field_and_records_nothing(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = record(client, north_case, issuing_country="Russia", expires_on="31/31/2031")
    assert response.status_code == 400
    content = text_of(response)
    assert "at most 2 characters" in field_error(content, "issuing_country")
    assert field_error(content, "expires_on")
    response = record(client, north_case, issuing_country="R1")
    assert response.status_code == 400
    assert "two-letter code" in text_of(response)
    assert not PersonDocument.objects.exists()


def test_a_refused_scan_records_no_document(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    fake = SimpleUploadedFile("scan.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = record(client, north_case, **{"scan-file": fake})
    assert response.status_code == 400
    assert field_error(text_of(response), "scan-file")
    assert not PersonDocument.objects.exists() and not CaseFile.objects.exists()


def test_a_person_of_another_case_cannot_be_chosen(
    signed_in: Signed, caseworker: User, north_case: Case, open_case: Any
) -> None:
    other = open_case("Other Person")
    response = record(signed_in(caseworker), north_case, person=str(other.people.get().pk))
    assert response.status_code == 400
    assert not PersonDocument.objects.exists()


def test_break_glass_reads_documents_but_records_none(
    signed_in: Signed, add_document: Add, break_glass: User, north_case: Case
) -> None:
    add_document(north_case)
    client = signed_in(break_glass)
    shown = page(client, url(north_case))
    assert NUMBER in shown and "Record a document" not in shown
    assert "/edit/" not in shown
    assert reads(north_case, "documents")
    data = {"kind": "visa", "status": "have", "person": "x"}
    assert post(client, url(north_case), data).status_code == 404
    assert PersonDocument.objects.count() == 1


def test_other_desks_partners_and_outsiders_get_nothing(
    signed_in: Signed,
    add_document: Add,
    colleague: User,
    partner_user: User,
    outsider: Client,
    north_case: Case,
) -> None:
    add_document(north_case)
    for user in (colleague, partner_user):
        response = signed_in(user).get(url(north_case))
        assert response.status_code == 404 and NUMBER not in text_of(response)
    response = outsider.get(url(north_case))
    assert response.status_code == 302 and NUMBER not in text_of(response)
    assert not reads(north_case, "documents")
