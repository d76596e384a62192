"""Merging two cases moves their files to the survivor, re-encrypted under its key into new
blobs; the merged case's old blobs are deleted."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.casefiles import services
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from passage.cases.services import duplicates
from passage.crypto.fields import StoredFile, blob_path
from tests.casefiles.conftest import AddFile, pdf_with_author

pytestmark = pytest.mark.django_db


def test_files_move_to_the_survivor_and_stay_readable(
    add_file: AddFile,
    open_case: Callable[..., Case],
    caseworker: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    survivor, merged = open_case("One Person"), open_case("Same Person")
    kept = add_file(survivor)
    moved = add_file(merged, pdf_with_author(text="moved page"), name="a.pdf", description="moved")
    old = moved.content
    assert isinstance(old, StoredFile)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        duplicates.cases_merge(survivor=survivor, merged=merged, actor=caseworker)
    assert set(CaseFile.objects.filter(case=survivor).values_list("pk", flat=True)) == {
        kept.pk,
        moved.pk,
    }
    again = CaseFile.objects.get(pk=moved.pk)
    assert again.description == "moved"
    assert not blob_path(old.blob_id).exists()
    opened = services.case_file_open(case_file=again, actor=caseworker)
    assert b"moved page" in opened.data
