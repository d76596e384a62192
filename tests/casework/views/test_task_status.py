"""POST /staff/cases/<case>/tasks/<task>/done/ and .../reopen/."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.models import Task
from passage.casework.services.tasks import task_add
from tests.accounts.admin_support import post
from tests.cases.views.conftest import Signed

pytestmark = pytest.mark.django_db


def test_done_then_reopened_from_the_tasks_page(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    task = task_add(case=north_case, actor=caseworker, title="Buy a SIM card")
    client = signed_in(caseworker)
    done = reverse("casework:task-complete", args=[north_case.pk, task.pk])
    response = post(client, done)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:tasks", args=[north_case.pk])
    assert Task.objects.get().status == "done"
    again = client.get(post(client, done)["Location"]).content.decode()
    assert "This task is done already." in again
    post(client, reverse("casework:task-reopen", args=[north_case.pk, task.pk]))
    assert Task.objects.get().status == "open"
    assert client.get(done).status_code == 405


def test_others_and_unknown_tasks_get_404(
    signed_in: Signed, caseworker: User, colleague: User, break_glass: User, north_case: Case
) -> None:
    task = task_add(case=north_case, actor=caseworker, title="Buy a SIM card")
    done = reverse("casework:task-complete", args=[north_case.pk, task.pk])
    for user in (colleague,):
        assert post(signed_in(user), done).status_code == 404
    missing = reverse("casework:task-complete", args=[north_case.pk, uuid.uuid4()])
    assert post(signed_in(caseworker), missing).status_code == 404
    assert Task.objects.get().status == "open"
