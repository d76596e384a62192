"""The queue shows overdue tasks and the next contact a logged contact set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.services.contacts import contact_log
from passage.casework.services.tasks import task_add
from passage.core.templatetags.passage_ui import when
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page

pytestmark = pytest.mark.django_db


def row_of(content: str, case: Case) -> str:
    start = content.index(case.reference)
    return content[start : content.index("</tr>", start)]


def test_overdue_tasks_and_the_next_contact_show_in_the_queue(
    signed_in: Signed, caseworker: User, north_case: Case, open_case: object
) -> None:
    other = open_case("Another Person")  # type: ignore[operator]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    task_add(case=north_case, actor=caseworker, title="late", due_on=yesterday)
    task_add(case=north_case, actor=caseworker, title="late too", due_on=yesterday)
    task_add(case=other, actor=caseworker, title="not yet", due_on=timezone.localdate())
    due = timezone.now() + dt.timedelta(days=3)
    contact_log(
        case=north_case,
        actor=caseworker,
        channel="signal",
        direction="incoming",
        summary="fine",
        next_contact_due=due,
    )
    content = page(signed_in(caseworker), reverse("cases:queue"))
    row = row_of(content, north_case)
    assert "2 overdue tasks" in row
    assert when(due) in row
    assert "overdue task" not in row_of(content, other)
