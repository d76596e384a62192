"""``queries``: each person's documents with their scans, one document of the case, and
``missing_documents`` for the journey board (plain codes, cases asked for only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.casefiles.services import Upload, case_file_add
from passage.cases.models import Case
from passage.cases.queries import case_for
from passage.cases.services.opening import household_member_add
from passage.cases.services.people import PersonDetails
from passage.documents.models import DOCUMENT_ATTACHMENT
from passage.documents.queries import document_of, documents_of, missing_documents
from passage.documents.services.documents import DocumentDetails, document_add
from tests.casefiles.conftest import png_with_text
from tests.documents.conftest import Add

pytestmark = pytest.mark.django_db


def test_documents_are_listed_per_person_with_their_scans(
    add_document: Add, caseworker: User, north_case: Case
) -> None:
    household_member_add(
        case=north_case, details=PersonDetails(chosen_name="Son"), actor=caseworker
    )
    son = north_case.people.get(is_principal=False)
    soon = timezone.localdate() + dt.timedelta(days=12)
    passport = add_document(north_case, expires_on=soon)
    birth = document_add(
        case=north_case,
        person=son,
        actor=caseworker,
        details=DocumentDetails(kind="birth_certificate", status="missing"),
    )
    scan = case_file_add(
        case=north_case,
        actor=caseworker,
        upload=Upload(name="p.png", data=png_with_text()),
        attached_kind=DOCUMENT_ATTACHMENT,
        attached_id=passport.pk,
    )
    view = case_for(caseworker, north_case.pk)
    assert view is not None
    entries = documents_of(view)
    assert [e.person.is_principal for e in entries] == [True, False]
    principal_row, son_row = entries[0].rows[0], entries[1].rows[0]
    assert (principal_row.document, principal_row.scans, principal_row.days_left) == (
        passport,
        (scan,),
        12,
    )
    assert principal_row.expiring
    assert (son_row.document, son_row.scans, son_row.days_left) == (birth, (), None)
    assert document_of(view, birth.pk) == birth
    assert document_of(view, "not-a-uuid") is None


def test_a_document_of_another_case_is_not_found(
    add_document: Add, colleague: User, caseworker: User, north_case: Case, south_case: Case
) -> None:
    theirs = add_document(south_case, actor=colleague)
    view = case_for(caseworker, north_case.pk)
    assert view is not None
    assert document_of(view, theirs.pk) is None


def test_missing_documents_by_case(
    add_document: Add, colleague: User, north_case: Case, south_case: Case, open_case: object
) -> None:
    add_document(north_case, kind="visa", status="applied")
    add_document(north_case, kind="exit_permit", status="missing")
    add_document(north_case, kind="visa", status="expired")
    add_document(north_case, kind="international_passport", status="have")
    add_document(south_case, actor=colleague, kind="visa", status="issued")
    complete = open_case("Nothing missing")  # type: ignore[operator]
    found = missing_documents([north_case.pk, south_case.pk, complete.pk])
    assert found == {north_case.pk: ["exit_permit", "visa"]}
    assert missing_documents([south_case.pk]) == {}
    assert missing_documents([]) == {}
