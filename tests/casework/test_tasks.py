"""task_add / task_complete / task_reopen, and the reads the queue and "My work" use:
overdue_task_counts and tasks_for_user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import assignment
from passage.casework import queries
from passage.casework.models import Task
from passage.casework.services.tasks import task_add, task_complete, task_reopen
from tests.cases.helpers import audit_entries, raw_value

pytestmark = pytest.mark.django_db

TITLE = "Ask Nadia at the shelter about a bed for Friday"


def day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def test_a_task_is_added_done_and_reopened(north_case: Case, caseworker: User) -> None:
    task = task_add(
        case=north_case, actor=caseworker, title=TITLE, due_on=day(2), assignee=caseworker
    )
    assert Task.objects.get(pk=task.pk).title == TITLE
    assert TITLE.encode() not in raw_value("casework_task", "title", task.pk)
    done = task_complete(task=task, actor=caseworker)
    assert (done.status, done.done_by) == ("done", caseworker)
    assert done.done_at is not None
    with pytest.raises(InvalidInput, match="done already"):
        task_complete(task=task, actor=caseworker)
    reopened = task_reopen(task=task, actor=caseworker)
    assert (reopened.status, reopened.done_at, reopened.done_by) == ("open", None, None)
    with pytest.raises(InvalidInput, match="open already"):
        task_reopen(task=task, actor=caseworker)
    for action in ("case.task_added", "case.task_completed", "case.task_reopened"):
        assert len(audit_entries(action, north_case.pk)) == 1


def test_the_assignee_must_work_the_case_desk(
    north_case: Case, caseworker: User, colleague: User, partner_user: User
) -> None:
    with pytest.raises(InvalidInput, match="assignee"):
        task_add(case=north_case, actor=caseworker, title=TITLE, assignee=colleague)
    with pytest.raises(InvalidInput, match="assignee"):
        task_add(case=north_case, actor=caseworker, title=TITLE, assignee=partner_user)
    with pytest.raises(InvalidInput, match="Say what"):
        task_add(case=north_case, actor=caseworker, title=" ")
    assert not Task.objects.exists()


def test_readers_who_do_not_work_the_case_cannot_change_tasks(
    north_case: Case, caseworker: User, break_glass: User, colleague: User
) -> None:
    task = task_add(case=north_case, actor=caseworker, title=TITLE)
    with pytest.raises(NotAllowed):
        task_complete(task=task, actor=break_glass)
    with pytest.raises(NotAllowed):
        task_add(case=north_case, actor=break_glass, title=TITLE)
    assert Task.objects.get(pk=task.pk).status == "open"


def test_overdue_counts_per_case(
    north_case: Case, south_case: Case, caseworker: User, colleague: User
) -> None:
    task_add(case=north_case, actor=caseworker, title="late", due_on=day(-2))
    task_add(case=north_case, actor=caseworker, title="late too", due_on=day(-1))
    task_add(case=north_case, actor=caseworker, title="today", due_on=day(0))
    task_add(case=north_case, actor=caseworker, title="undated")
    done = task_add(case=south_case, actor=colleague, title="late but done", due_on=day(-3))
    task_complete(task=done, actor=colleague)
    counts = queries.overdue_task_counts([north_case.pk, south_case.pk])
    assert counts == {north_case.pk: 2}
    assert queries.overdue_task_counts([]) == {}
    assert queries.overdue_task_counts([north_case.pk], today=day(-5)) == {}


def test_tasks_for_user_are_theirs_on_cases_they_see_by_due_day(
    open_case: object,
    north_case: Case,
    caseworker: User,
    caseworker2: User,
    desk_lead: User,
) -> None:
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    later = task_add(
        case=north_case, actor=desk_lead, title="b", due_on=day(5), assignee=caseworker
    )
    sooner = task_add(case=north_case, actor=desk_lead, title="a", due_on=day(1))
    undated = task_add(case=north_case, actor=desk_lead, title="c", assignee=caseworker)
    task_add(case=north_case, actor=desk_lead, title="theirs", assignee=caseworker2)
    finished = task_add(case=north_case, actor=desk_lead, title="d", assignee=caseworker)
    task_complete(task=finished, actor=caseworker)
    assert list(queries.tasks_for_user(caseworker)) == [sooner, later, undated]
    assert [t.title for t in queries.tasks_for_user(caseworker2)] == ["theirs"]
    assert list(queries.tasks_for_user(desk_lead)) == []


def test_tasks_for_user_forget_cases_they_no_longer_see(
    north_case: Case, caseworker: User, desk_lead: User
) -> None:
    task_add(case=north_case, actor=desk_lead, title=TITLE, assignee=caseworker)
    assert len(queries.tasks_for_user(caseworker)) == 1
    caseworker.memberships.all().delete()
    assert list(queries.tasks_for_user(User.objects.get(pk=caseworker.pk))) == []
    with pytest.raises(CaseNotFound):
        task_add(case=north_case, actor=User.objects.get(pk=caseworker.pk), title=TITLE)
