"""``files_of`` / ``file_of`` / ``files_attached``: only the case's own files, attachments by
kind and id, removed files left out of attachments."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from pytest_django import DjangoAssertNumQueries

from passage.accounts.models import User
from passage.casefiles import queries, services
from passage.cases.models import Case
from passage.cases.queries import case_for
from tests.casefiles.conftest import AddFile

pytestmark = pytest.mark.django_db


def test_files_of_a_case_and_one_file(
    add_file: AddFile, north_case: Case, open_case: Callable[..., Case], caseworker: User
) -> None:
    other = open_case("Another")
    mine, theirs = add_file(north_case), add_file(other)
    view = case_for(caseworker, north_case.pk)
    assert view is not None
    assert [f.pk for f in queries.files_of(view)] == [mine.pk]
    assert queries.file_of(view, mine.pk) is not None
    assert queries.file_of(view, theirs.pk) is None
    assert queries.file_of(view, "not-an-id") is None


def test_readable_lists_decrypt_without_a_query_per_file(
    add_file: AddFile,
    north_case: Case,
    caseworker: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(4):
        add_file(north_case, description=f"file {n}")
    view = case_for(caseworker, north_case.pk)
    assert view is not None
    with django_assert_max_num_queries(2):
        rows = queries.files_of(view, readable=True)
        assert [r.description for r in rows] == [f"file {n}" for n in range(4)]


def test_files_attached_by_kind_and_id(
    add_file: AddFile, north_case: Case, caseworker: User
) -> None:
    contact, note, quiet = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first = add_file(north_case, attached_kind="contact", attached_id=contact)
    second = add_file(north_case, attached_kind="contact", attached_id=contact)
    add_file(north_case, attached_kind="note", attached_id=note)
    add_file(north_case)
    gone = add_file(north_case, attached_kind="contact", attached_id=contact)
    services.case_file_remove(case_file=gone, actor=caseworker)
    view = case_for(caseworker, north_case.pk)
    assert view is not None
    found = queries.files_attached(view, "contact", [contact, quiet, note])
    assert [f.pk for f in found[contact]] == [first.pk, second.pk]
    assert found[quiet] == [] and found[note] == []
    assert queries.files_attached(view, "contact", []) == {}
