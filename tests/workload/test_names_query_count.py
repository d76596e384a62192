"""Names beside references cost a fixed number of queries per page, also on the load that first
reveals them (the audited reads of a page are written in one batch)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from passage.accounts.models import User
from passage.accounts.services import reads as reads_service
from passage.cases.models import Case
from passage.crypto import datakeys
from tests.cases.views.support import name_reads

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]


@pytest.mark.parametrize("path", ["/staff/queue/", "/staff/cases/", "/staff/my-work/"])
def test_the_revealing_load_costs_the_same_with_3_and_30_cases(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case], path: str
) -> None:
    from passage.cases.services import assignment

    made: list[Case] = []

    def add(n: int) -> None:
        for _ in range(n):
            case = open_case(f"Named {len(made)}")
            assignment.case_assign(case=case, assignee=caseworker, actor=caseworker)
            made.append(case)

    def first_load() -> int:
        client = signed_in(caseworker)
        assert client.get("/staff/alerts/").status_code == 200  # the session, warmed up
        datakeys.cache.clear()
        reads_service._HISTORY_CACHE.clear()  # the reading history is judged afresh each time
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    add(3)
    small = first_load()
    add(27)
    large = first_load()
    assert small == large
    assert all(name_reads(c) == 2 for c in made[:3])  # one per sign-in
