"""Imports: the dry run reports row errors and writes nothing; the import makes cases, notes,
contacts and files through the services, encrypted; the uploads are shredded afterwards."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import reverse

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from passage.casefields.models import FieldDefinition, FieldValue, Kind, Section
from passage.casefiles.models import CaseFile
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case, ContactChannel, Person
from passage.casework.models import Contact, Note
from passage.crypto.fields import blob_path
from passage.crypto.models import DataKey, ShredRecord
from passage.imports import services
from passage.imports.models import ImportJob, ImportMapping
from tests.casefiles.conftest import pdf_with_author
from tests.personas import make_staff, sign_in_as

pytestmark = pytest.mark.django_db

MARK = "QJXIMPORTMARK"
HEADERS = [
    "Type",
    "Key",
    "Name",
    "Signal",
    "Country",
    "Urgency",
    "Story",
    "Opened",
    "Note",
    "Said",
    "Channel",
    "File",
    "Grant",
]
MAPPING = {
    "Type": "record_type",
    "Key": "case_key",
    "Name": "person.chosen_name",
    "Signal": "channel.signal",
    "Country": "case.country",
    "Urgency": "case.urgency",
    "Story": "case.narrative",
    "Opened": "case.opened_on",
    "Note": "note.body",
    "Said": "contact.summary",
    "Channel": "contact.channel",
    "File": "file.name",
}


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"attachments/{name}", data)
    return out.getvalue()


GOOD_ROWS = [
    {
        "Type": "case",
        "Key": "A1",
        "Name": f"{MARK}-name-1",
        "Signal": f"+7928{MARK}",
        "Country": "RU",
        "Urgency": "days",
        "Story": f"{MARK}-story-1",
        "Opened": "2017-04-03",
        "Grant": "yes",
    },
    {"Type": "note", "Key": "A1", "Note": f"{MARK}-note-1", "File": "scan.pdf"},
    {"Type": "contact", "Key": "A1", "Said": f"{MARK}-said-1", "Channel": "phone"},
    {
        "Type": "case",
        "Key": "B2",
        "Name": f"{MARK}-name-2",
        "Country": "ru",
        "Note": f"{MARK}-note-2",
    },
]


@pytest.fixture
def lead(desk_north: Desk) -> User:
    return make_staff("import-lead", Role.CASEWORKER, desks=(desk_north,), lead_of=(desk_north,))


@pytest.fixture
def grant_field(desk_north: Desk) -> FieldDefinition:
    return FieldDefinition.objects.create(
        section=Section.PERSON, label="Grant holder", kind=Kind.YES_NO
    )


def _mapping(grant: FieldDefinition) -> dict[str, str]:
    return {**MAPPING, "Grant": f"field.{grant.pk}"}


def _upload(
    lead: User, desk: Desk, rows: list[dict[str, str]], files: dict[str, bytes]
) -> ImportJob:
    return services.import_upload(
        actor=lead, desk=desk, name="cases.csv", data=_csv(rows), archive=_zip(files)
    )


def _pdf() -> bytes:
    return pdf_with_author(f"{MARK}X", text=f"{MARK}page")


def _table_bytes() -> list[tuple[str, bytes]]:
    """Every text and binary value of every table of every installed model."""
    found: list[tuple[str, bytes]] = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, str):
                        found.append((table, value.encode()))
                    elif isinstance(value, (bytes, memoryview)):
                        found.append((table, bytes(value)))
    return found


def test_dry_run_reports_row_errors_and_writes_nothing(
    lead: User, desk_north: Desk, grant_field: FieldDefinition
) -> None:
    bad = [
        {**GOOD_ROWS[0], "Country": "XX", "Opened": "not a date"},
        {"Type": "note", "Key": "ZZ", "Note": f"{MARK}-orphan"},
        {"Type": "contact", "Key": "A1", "Said": "", "Channel": "phone"},
        {"Type": "case", "Key": "C3", "File": "missing.pdf", "Urgency": "soon"},
        {"Type": "memo", "Key": "A1"},
        {**GOOD_ROWS[3], "Key": "D4", "Grant": "perhaps"},
    ]
    job = _upload(lead, desk_north, bad, {"scan.pdf": _pdf()})
    cases_before = Case.objects.count()
    result = services.import_check(job=job, actor=lead, mapping=_mapping(grant_field))
    rows = {label for label, _column, _message in result.errors}
    assert rows == {"row 2", "row 3", "row 4", "row 5", "row 6", "row 7"}
    for _label, _column, message in result.errors:
        assert MARK not in message and "XX" not in message and "perhaps" not in message
    by_row = {label: (column, message) for label, column, message in result.errors}
    assert by_row["row 2"][0] == "Opened"
    assert by_row["row 3"][0] == "Key"
    assert by_row["row 7"][0] == "Grant"
    assert Case.objects.count() == cases_before
    assert not Note.objects.exists() and not CaseFile.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.error_count == 6
    with pytest.raises(InvalidInput):
        services.import_start(job=job, actor=lead)
    assert AuditEntry.objects.filter(action="import.checked", object_id=f"{job.pk}:6").exists()


def test_import_creates_everything_encrypted_and_destroys_the_uploads(
    lead: User,
    desk_north: Desk,
    grant_field: FieldDefinition,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = _upload(lead, desk_north, GOOD_ROWS, {"scan.pdf": _pdf()})
    blobs = [job.source.blob_id, job.archive.blob_id]  # type: ignore[union-attr]
    result = services.import_check(
        job=job, actor=lead, mapping=_mapping(grant_field), save_as="Old spreadsheet"
    )
    assert result.errors == []
    assert ImportMapping.objects.get(name="Old spreadsheet").columns["Key"] == "case_key"
    services.import_start(job=job, actor=lead)
    with django_capture_on_commit_callbacks(execute=True):
        made = services.import_run(job.pk)
    assert made == 2
    assert not any(blob_path(blob).exists() for blob in blobs)
    done = ImportJob.objects.get(pk=job.pk)
    assert done.status == ImportJob.Status.DONE
    assert (done.cases_created, done.notes_created, done.contacts_created, done.files_created) == (
        2,
        2,
        1,
        1,
    )
    assert done.rows_done == done.rows_total == 4
    # The uploads are gone: columns emptied, key destroyed, blobs deleted (on commit).
    assert done.source is None and done.archive is None and done.mapping is None
    assert not DataKey.objects.filter(owner_id=job.pk).exists()
    assert ShredRecord.objects.filter(owner_id=job.pk).exists()
    # The cases, as manual entry makes them.
    people = {p.chosen_name: p for p in Person.objects.all()}
    one = people[f"{MARK}-name-1"].case
    assert one.desk == desk_north and one.country == "RU" and one.urgency == "days"
    assert one.opened_at.date().isoformat() == "2017-04-03"
    assert one.reference.startswith("PSG-2017-")
    assert one.narrative == f"{MARK}-story-1"
    assert ContactChannel.objects.get(person__case=one).value == f"+7928{MARK}"
    assert Note.objects.get(case=one).body == f"{MARK}-note-1"
    assert Contact.objects.get(case=one).summary == f"{MARK}-said-1"
    assert FieldValue.objects.get(case=one).plain is True
    stored = CaseFile.objects.get(case=one)
    assert stored.attached_kind == "note" and stored.kind == "pdf"
    two = people[f"{MARK}-name-2"].case
    assert two.country == "RU"
    assert Note.objects.get(case=two).body == f"{MARK}-note-2"
    # Nothing in plaintext in any table (a plain column as positive control).
    values = _table_bytes()
    assert any(desk_north.name.encode() in value for _t, value in values)
    for table, value in values:
        assert MARK.encode() not in value, f"marker in {table}"
    assert AuditEntry.objects.filter(action="case.imported").count() == 2
    assert AuditEntry.objects.filter(action="import.finished", object_id=f"{job.pk}:2").exists()
    # Nor in the data directory (the stored file, and every blob, are ciphertext).
    for path in settings.BLOB_DIR.rglob("*"):
        if path.is_file():
            assert MARK.encode() not in path.read_bytes()
    assert services.import_run(job.pk) == 0  # idempotent


def test_only_a_lead_imports(caseworker: User, desk_north: Desk) -> None:
    with pytest.raises(NotAllowed):
        services.import_upload(actor=caseworker, desk=desk_north, name="a.csv", data=b"a\n1\n")


def test_unreadable_files_are_refused(lead: User, desk_north: Desk) -> None:
    with pytest.raises(InvalidInput):
        services.import_upload(actor=lead, desk=desk_north, name="a.csv", data=b"\x00\x01\x02")
    with pytest.raises(InvalidInput):
        services.import_upload(actor=lead, desk=desk_north, name="a.csv", data=b"a,a\n1,2\n")
    with pytest.raises(InvalidInput):
        services.import_upload(
            actor=lead, desk=desk_north, name="a.csv", data=b"a\n1\n", archive=b"not a zip"
        )


def test_xlsx_with_sheets(lead: User, desk_north: Desk) -> None:
    from openpyxl import Workbook

    book = Workbook()
    cases = book.active
    assert cases is not None
    cases.title = "Cases"
    cases.append(["Key", "Name", "Opened"])
    cases.append(["K1", f"{MARK}-x", "2018-01-02"])
    notes = book.create_sheet("Notes")
    notes.append(["Key", "Note"])
    notes.append(["K1", f"{MARK}-n"])
    notes.append(["K9", f"{MARK}-lost"])
    out = io.BytesIO()
    book.save(out)
    job = services.import_upload(actor=lead, desk=desk_north, name="a.xlsx", data=out.getvalue())
    mapping = {
        "Key": "case_key",
        "Name": "person.chosen_name",
        "Opened": "case.opened_on",
        "Note": "note.body",
    }
    result = services.import_check(job=job, actor=lead, mapping=mapping)
    assert [e[0] for e in result.errors] == ["Notes row 3"]
    assert len(result.cases) == 1 and len(result.cases[0].notes) == 1


def test_abandon_shreds_the_upload(lead: User, desk_north: Desk) -> None:
    job = _upload(lead, desk_north, GOOD_ROWS, {})
    services.import_abandon(job=job, actor=lead)
    gone = ImportJob.objects.get(pk=job.pk)
    assert gone.status == ImportJob.Status.ABANDONED and gone.source is None
    assert ShredRecord.objects.filter(owner_id=job.pk).exists()


def test_abandoned_sweep(lead: User, desk_north: Desk) -> None:
    import datetime as dt

    from django.utils import timezone

    job = _upload(lead, desk_north, GOOD_ROWS, {})
    assert services.imports_abandoned(now=timezone.now() + dt.timedelta(hours=23)) == 0
    assert services.imports_abandoned(now=timezone.now() + dt.timedelta(days=1, minutes=1)) == 1
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.ABANDONED
    assert services.imports_abandoned(now=timezone.now() + dt.timedelta(days=2)) == 0


def _token(client: Any, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return str(page.context["csrf_token"])


def test_the_pages_end_to_end(
    lead: User,
    desk_north: Desk,
    grant_field: FieldDefinition,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    from tests.core.test_periodic import run_queued

    client = sign_in_as(lead)
    token = _token(client, reverse("imports:new"))
    posted = client.post(
        reverse("imports:new"),
        {
            "csrfmiddlewaretoken": token,
            "desk": str(desk_north.pk),
            "spreadsheet": SimpleUploadedFile("cases.csv", _csv(GOOD_ROWS), "text/csv"),
            "archive": SimpleUploadedFile("files.zip", _zip({"scan.pdf": _pdf()})),
        },
    )
    assert posted.status_code == 302
    job = ImportJob.objects.get()
    mapping_url = reverse("imports:mapping", args=[job.pk])
    page = client.get(mapping_url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["col_0"].initial == ""  # "Type" is no target's name
    data = {"csrfmiddlewaretoken": token}
    full = _mapping(grant_field)
    for index, header in enumerate(HEADERS):
        data[f"col_{index}"] = full.get(header, "")
    checked = client.post(mapping_url, data)
    assert checked.status_code == 302
    job_page = client.get(reverse("imports:job", args=[job.pk]))
    assert b"Every row passed the check." in job_page.content
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("imports:start", args=[job.pk]), {"csrfmiddlewaretoken": token}
        )
    assert started.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    progress = client.get(reverse("imports:job", args=[job.pk]))
    assert b'http-equiv="refresh"' in progress.content and b"<progress" in progress.content
    row = run_queued(job.task_id)
    assert row.status == "SUCCESSFUL"
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.cases_created == 2
    listing = client.get(reverse("imports:index"))
    assert listing.status_code == 200 and str(job.pk).encode() in listing.content
    final = client.get(reverse("imports:job", args=[job.pk]))
    assert b'http-equiv="refresh"' not in final.content
    assert MARK.encode() not in final.content


def test_a_run_that_fails_still_destroys_the_upload(
    lead: User, desk_north: Desk, grant_field: FieldDefinition
) -> None:
    job = _upload(lead, desk_north, GOOD_ROWS, {"scan.pdf": _pdf()})
    services.import_check(job=job, actor=lead, mapping=_mapping(grant_field))
    services.import_start(job=job, actor=lead)
    lead.memberships.all().delete()  # no longer on the desk: opening a case is refused
    assert services.import_run(job.pk) == 0
    failed = ImportJob.objects.get(pk=job.pk)
    assert failed.status == ImportJob.Status.FAILED
    assert failed.source is None and failed.destroyed_at is not None
    assert not DataKey.objects.filter(owner_id=job.pk).exists()
    assert not Case.objects.exists()
    assert AuditEntry.objects.filter(action="import.failed", object_id=f"{job.pk}:0").exists()


def test_a_saved_mapping_is_offered_again(
    lead: User, desk_north: Desk, grant_field: FieldDefinition
) -> None:
    first = _upload(lead, desk_north, GOOD_ROWS, {})
    services.import_check(job=first, actor=lead, mapping=_mapping(grant_field), save_as="Airtable")
    saved = ImportMapping.objects.get(name="Airtable")
    second = _upload(lead, desk_north, GOOD_ROWS, {})
    client = sign_in_as(lead)
    page = client.get(reverse("imports:mapping", args=[second.pk]) + f"?mapping={saved.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["col_1"].initial == "case_key"
    assert form.fields[f"col_{HEADERS.index('Grant')}"].initial == f"field.{grant_field.pk}"
    # Another lead's desk cannot see this job.
    other = make_staff("other-lead", Role.CASEWORKER, lead_of=(Desk.objects.create(name="W"),))
    assert sign_in_as(other).get(reverse("imports:job", args=[second.pk])).status_code == 404
