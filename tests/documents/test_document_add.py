"""``services.documents.document_add``: a document of one of the case's people, with its scans,
by those who work the case; audited with ids only."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles.models import CaseFile
from passage.casefiles.services import Upload, check_upload
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.documents.models import DOCUMENT_ATTACHMENT, PersonDocument
from passage.documents.services.documents import DocumentDetails, Scan, document_add
from tests.casefiles.conftest import MARKER, jpeg_with_gps
from tests.documents.conftest import NUMBER, Add

pytestmark = pytest.mark.django_db


def test_a_document_is_recorded_with_what_it_says_encrypted(
    add_document: Add, caseworker: User, north_case: Case
) -> None:
    document = add_document(
        north_case, issuing_country=" ru ", notes="kept by her aunt", status="issued"
    )
    stored = PersonDocument.objects.get()
    assert stored.person == north_case.people.get(is_principal=True)
    assert (stored.case_id, stored.kind, stored.status, stored.created_by) == (
        north_case.pk,
        "international_passport",
        "issued",
        caseworker,
    )
    assert (stored.number, stored.issuing_country, stored.notes) == (
        NUMBER,
        "RU",
        "kept by her aunt",
    )
    entry = AuditEntry.objects.get(action="case.document_added")
    assert (entry.object_type, entry.object_id) == ("document", str(document.pk))
    assert NUMBER not in str(entry.__dict__)


def test_scans_are_stored_as_stripped_case_files_on_the_document(
    caseworker: User, north_case: Case
) -> None:
    scan = Scan(upload=check_upload(Upload(name="passport.jpg", data=jpeg_with_gps())))
    document = document_add(
        case=north_case,
        person=north_case.people.get(is_principal=True),
        actor=caseworker,
        details=DocumentDetails(kind="visa", status="have"),
        scans=(scan,),
    )
    stored = CaseFile.objects.get()
    assert (stored.case_id, stored.attached_kind, stored.attached_id) == (
        north_case.pk,
        DOCUMENT_ATTACHMENT,
        document.pk,
    )
    assert MARKER.encode() not in stored.content.read()


def test_a_scan_the_files_service_refuses_records_no_document(
    caseworker: User, north_case: Case
) -> None:
    upload = check_upload(Upload(name="passport.jpg", data=jpeg_with_gps()))
    with pytest.raises(InvalidInput):
        document_add(
            case=north_case,
            person=north_case.people.get(is_principal=True),
            actor=caseworker,
            details=DocumentDetails(kind="visa", status="have"),
            scans=(Scan(upload=upload, description="x" * 3000),),
        )
    assert not PersonDocument.objects.exists()
    assert not CaseFile.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "driving_licence"}, "Choose the kind of document."),
        ({"status": "lost"}, "Choose where the document stands."),
        ({"issuing_country": "Russia"}, "two-letter code"),
        ({"number": "9" * 201}, "too long"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    add_document: Add, north_case: Case, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        add_document(north_case, **fields)
    assert not PersonDocument.objects.exists()


def test_a_person_of_another_case_is_refused(
    caseworker: User, north_case: Case, open_case: object
) -> None:
    other = open_case("Other Person")  # type: ignore[operator]
    with pytest.raises(InvalidInput):
        document_add(
            case=north_case,
            person=other.people.get(),
            actor=caseworker,
            details=DocumentDetails(kind="visa", status="missing"),
        )
    assert not PersonDocument.objects.exists()


def test_only_those_who_work_the_case_record_documents(
    add_document: Add, break_glass: User, north_case: Case
) -> None:
    """A break-glass reader (another desk, for an hour) reads the case but changes nothing."""
    with pytest.raises(NotAllowed):
        add_document(north_case, actor=break_glass)
    assert not PersonDocument.objects.exists()


def test_other_desks_get_no_such_case(
    add_document: Add, desk_lead: User, south_case: Case, auditor: User
) -> None:
    with pytest.raises(CaseNotFound):
        add_document(south_case, actor=desk_lead)
    with pytest.raises(CaseNotFound):
        add_document(south_case, actor=auditor)
    assert not PersonDocument.objects.exists()
