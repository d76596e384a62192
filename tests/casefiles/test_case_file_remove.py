"""``case_file_remove``: the content, name and description are erased, the blob is deleted
once the transaction commits, a tombstone stays, and the removal is audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles import services
from passage.casefiles.models import CaseFile
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.crypto.fields import StoredFile, blob_path
from tests.casefiles.conftest import AddFile

pytestmark = pytest.mark.django_db


def raw_columns(row: CaseFile) -> tuple[object, object]:
    found = CaseFile.objects.filter(pk=row.pk).values_list("content", "description").get()
    return found[0], found[1]


def test_removing_erases_the_file_and_keeps_a_tombstone(
    add_file: AddFile,
    north_case: Case,
    caseworker: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    row = add_file(north_case, description="a scan")
    content = row.content
    assert isinstance(content, StoredFile)
    blob = blob_path(content.blob_id)
    assert blob.exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.case_file_remove(case_file=row, actor=caseworker)
    assert not blob.exists()
    again = CaseFile.objects.get(pk=row.pk)
    assert raw_columns(again) == (None, None)
    assert again.content is None and again.description is None
    assert again.removed_by == caseworker and again.removed_at is not None
    assert (again.number, again.kind, again.size) == (1, "image", row.size)
    [entry] = AuditEntry.objects.filter(action="case.file_removed")
    assert (entry.object_type, entry.object_id) == ("casefile", str(row.pk))
    with pytest.raises(NotAllowed):
        services.case_file_open(case_file=again, actor=caseworker)


def test_a_removed_file_cannot_be_removed_again(
    add_file: AddFile, north_case: Case, caseworker: User
) -> None:
    row = add_file(north_case)
    services.case_file_remove(case_file=row, actor=caseworker)
    with pytest.raises(InvalidInput):
        services.case_file_remove(case_file=row, actor=caseworker)
    assert AuditEntry.objects.filter(action="case.file_removed").count() == 1


def test_the_other_files_of_the_case_stay_readable(
    add_file: AddFile, north_case: Case, caseworker: User
) -> None:
    gone, kept = add_file(north_case), add_file(north_case, description="kept")
    services.case_file_remove(case_file=gone, actor=caseworker)
    assert CaseFile.objects.get(pk=kept.pk).description == "kept"
    opened = services.case_file_open(case_file=CaseFile.objects.get(pk=kept.pk), actor=caseworker)
    assert opened.data.startswith(b"\x89PNG")


def test_only_those_who_work_the_case_remove_files(
    add_file: AddFile,
    north_case: Case,
    colleague: User,
    break_glass: Callable[[Case], None],
) -> None:
    row = add_file(north_case)
    with pytest.raises(CaseNotFound):
        services.case_file_remove(case_file=row, actor=colleague)
    break_glass(north_case)
    with pytest.raises(NotAllowed):
        services.case_file_remove(case_file=row, actor=colleague)
    assert CaseFile.objects.get(pk=row.pk).removed_at is None
