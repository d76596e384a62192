"""/staff/cases/<case>/documents/<document>/edit/: change a document and add a scan; for
those who work the case only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from passage.accounts.models import User
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from passage.documents.models import DOCUMENT_ATTACHMENT, PersonDocument
from tests.accounts.admin_support import post, submit
from tests.casefiles.conftest import pdf_with_author
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, reads, text_of
from tests.documents.conftest import NUMBER, Add

pytestmark = pytest.mark.django_db


def url(case: Case, document: PersonDocument) -> str:
    return reverse("documents:document-edit", args=[case.pk, document.pk])


def test_the_form_shows_what_is_recorded_and_saves_changes(
    signed_in: Signed, add_document: Add, caseworker: User, north_case: Case
) -> None:
    document = add_document(north_case, status="applied", notes="at the consulate")
    client = signed_in(caseworker)
    shown = page(client, url(north_case, document))
    assert NUMBER in shown and "at the consulate" in shown
    assert reads(north_case, "documents")
    scan = SimpleUploadedFile("visa.pdf", pdf_with_author(), content_type="application/pdf")
    response = submit(
        client,
        url(north_case, document),
        {
            "kind": "visa",
            "status": "issued",
            "number": "V-1",
            "issuing_country": "CA",
            "expires_on": "2028-01-31",
            "notes": "",
            "scan-file": scan,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:documents", args=[north_case.pk])
    stored = PersonDocument.objects.get()
    assert (stored.kind, stored.status, stored.number, stored.notes) == (
        "visa",
        "issued",
        "V-1",
        None,
    )
    assert (CaseFile.objects.get().attached_kind, CaseFile.objects.get().attached_id) == (
        DOCUMENT_ATTACHMENT,
        stored.pk,
    )
    assert "Open file 1" in page(client, url(north_case, document))


def test_bad_input_keeps_the_document(
    signed_in: Signed, add_document: Add, caseworker: User, north_case: Case
) -> None:
    document = add_document(north_case)
    response = submit(
        signed_in(caseworker), url(north_case, document), {"kind": "visa", "status": "lost"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)
    assert PersonDocument.objects.get().kind == "international_passport"


def test_only_those_who_work_the_case_change_documents(
    signed_in: Signed,
    add_document: Add,
    break_glass: User,
    partner_user: User,
    auditor: User,
    north_case: Case,
) -> None:
    document = add_document(north_case)
    for user in (break_glass, partner_user, auditor):
        client = signed_in(user)
        assert client.get(url(north_case, document)).status_code == 404
        data = {"kind": "visa", "status": "missing"}
        assert post(client, url(north_case, document), data).status_code == 404
    assert PersonDocument.objects.get().status == "have"


def test_a_document_of_another_case_is_404(
    signed_in: Signed,
    add_document: Add,
    caseworker: User,
    colleague: User,
    north_case: Case,
    south_case: Case,
) -> None:
    theirs = add_document(south_case, actor=colleague)
    client = signed_in(caseworker)
    assert client.get(url(north_case, theirs)).status_code == 404
    data = {"kind": "visa", "status": "missing"}
    assert post(client, url(north_case, theirs), data).status_code == 404
    assert PersonDocument.objects.get().status == "have"
