"""Tasks from the casework part: overdue tasks per worker on the desk workload page, and my
open tasks on My work (titles only for cases I work, recorded once per case per sign-in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.cases.services import assignment
from passage.casework.services.tasks import task_add
from passage.workload import queries
from tests.cases.views.support import page, reads

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]
TITLE = "Call the lawyer about the hearing date"


def test_overdue_tasks_are_counted_per_worker(
    desk_north: Desk, caseworker: User, north_case: Case
) -> None:
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    task_add(case=north_case, actor=caseworker, title=TITLE, due_on=yesterday)
    task_add(case=north_case, actor=caseworker, title="later", due_on=yesterday + dt.timedelta(7))
    work = queries.desk_workload(desk_north)
    loads = {w.user.username if w.user else None: w for w in work.workers}
    assert loads["caseworker"].tasks_overdue == 1
    assert work.tasks_overdue_total == 1


def test_my_tasks_show_their_titles_and_are_one_recorded_read(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    task_add(
        case=north_case,
        actor=caseworker,
        title=TITLE,
        assignee=caseworker,
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    client = signed_in(caseworker)
    content = page(client, "/staff/my-work/")
    assert TITLE in content and "overdue" in content
    page(client, "/staff/my-work/")
    assert reads(north_case) == ["case.section_viewed.tasks"]
