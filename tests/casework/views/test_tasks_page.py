"""/staff/cases/<case>/tasks/: the task list and the add form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.models import Task
from passage.casework.services.tasks import task_add
from tests.accounts.admin_support import post
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, reads, submit, text_of

pytestmark = pytest.mark.django_db


def url(case: Case) -> str:
    return reverse("casework:tasks", args=[case.pk])


def test_a_caseworker_adds_a_task_for_a_colleague_of_the_desk(
    signed_in: Signed, caseworker: User, caseworker2: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    due = timezone.localdate() + dt.timedelta(days=2)
    response = submit(
        client,
        url(north_case),
        {"title": "Call the lawyer", "due_on": due.isoformat(), "assignee": str(caseworker2.pk)},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.due_on, task.assignee) == ("Call the lawyer", due, caseworker2)
    content = page(client, url(north_case))
    assert "Call the lawyer" in content and "caseworker2" in content
    assert reads(north_case, "tasks")


def test_overdue_tasks_are_marked_and_a_stranger_cannot_be_chosen(
    signed_in: Signed, caseworker: User, colleague: User, north_case: Case
) -> None:
    task_add(
        case=north_case,
        actor=caseworker,
        title="Late one",
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    client = signed_in(caseworker)
    assert "overdue" in page(client, url(north_case))
    response = submit(client, url(north_case), {"title": "x", "assignee": str(colleague.pk)})
    assert response.status_code == 400
    assert field_error(text_of(response), "assignee")
    assert Task.objects.count() == 1


def test_colleagues_partners_and_outsiders_are_refused(
    signed_in: Signed, colleague: User, partner_user: User, outsider: object, north_case: Case
) -> None:
    for user in (colleague, partner_user):
        client = signed_in(user)
        page(client, url(north_case), status=404)
        assert post(client, url(north_case), {"title": "x"}).status_code == 404
    assert outsider.get(url(north_case)).status_code == 302  # type: ignore[attr-defined]
    assert not Task.objects.exists()
