"""``services.documents.document_change``: what is recorded changes, a new expiry date starts
the reminders again, scans are added; audited with ids only."""

from __future__ import annotations

import datetime as dt

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles.models import CaseFile
from passage.casefiles.services import Upload, check_upload
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.documents.models import DOCUMENT_ATTACHMENT, PersonDocument
from passage.documents.services.documents import DocumentDetails, Scan, document_change
from tests.casefiles.conftest import png_with_text
from tests.documents.conftest import Add

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 3, 1)


def test_a_document_changes_and_keeps_its_person(
    add_document: Add, caseworker2: User, north_case: Case
) -> None:
    document = add_document(north_case, status="applied")
    scan = Scan(upload=check_upload(Upload(name="visa.png", data=png_with_text())))
    document_change(
        document=document,
        actor=caseworker2,
        details=DocumentDetails(
            kind="visa", status="issued", number="V-777", issuing_country="ca", expires_on=DAY
        ),
        scans=(scan,),
    )
    stored = PersonDocument.objects.get()
    assert (stored.kind, stored.status, stored.expires_on) == ("visa", "issued", DAY)
    assert (stored.number, stored.issuing_country, stored.notes) == ("V-777", "CA", None)
    assert stored.person_id == document.person_id
    assert CaseFile.objects.get().attached_id == stored.pk
    assert CaseFile.objects.get().attached_kind == DOCUMENT_ATTACHMENT
    entry = AuditEntry.objects.get(action="case.document_changed")
    assert (entry.object_type, entry.object_id) == ("document", str(stored.pk))


def test_a_new_expiry_date_starts_the_reminders_again(
    add_document: Add, caseworker: User, north_case: Case
) -> None:
    document = add_document(north_case, expires_on=DAY)
    PersonDocument.objects.filter(pk=document.pk).update(reminded_days=7)
    details = DocumentDetails(kind=document.kind, status="have", expires_on=DAY, notes="same day")
    document_change(document=document, actor=caseworker, details=details)
    assert PersonDocument.objects.get().reminded_days == 7
    later = DocumentDetails(kind=document.kind, status="have", expires_on=DAY.replace(year=2032))
    document_change(document=document, actor=caseworker, details=later)
    assert PersonDocument.objects.get().reminded_days is None


def test_bad_input_changes_nothing(add_document: Add, caseworker: User, north_case: Case) -> None:
    document = add_document(north_case)
    with pytest.raises(InvalidInput):
        document_change(
            document=document,
            actor=caseworker,
            details=DocumentDetails(kind="visa", status="have", issuing_country="123"),
        )
    assert PersonDocument.objects.get().kind == "international_passport"
    assert not AuditEntry.objects.filter(action="case.document_changed").exists()


def test_a_break_glass_reader_changes_nothing(
    add_document: Add, break_glass: User, north_case: Case
) -> None:
    document = add_document(north_case)
    with pytest.raises(NotAllowed):
        document_change(
            document=document,
            actor=break_glass,
            details=DocumentDetails(kind="visa", status="missing"),
        )
    assert PersonDocument.objects.get().status == "have"
