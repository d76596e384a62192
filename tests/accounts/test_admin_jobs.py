"""Admins see background jobs and their failures (issue 8.5): which job failed and how, never
the data it worked on; nobody else sees the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.core.periodic import enqueue_periodic_jobs
from tests.core.periodic_jobs import SECRET
from tests.core.test_periodic import JOBS, ran, run_queued, use_jobs  # noqa: F401 -- fixtures
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db


def test_a_failed_periodic_run_shows_the_failed_job_to_admins(
    admin: User,
    caseworker: User,
    use_jobs: Callable[..., None],  # noqa: F811
    ran: list[str],  # noqa: F811
) -> None:
    use_jobs("first", "broken")
    task_id = enqueue_periodic_jobs()
    assert task_id is not None
    run_queued(task_id)
    use_jobs("first")
    again = enqueue_periodic_jobs()
    assert again is not None
    run_queued(again)

    page = sign_in_as(admin).get(reverse("staff:admin-jobs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 background task failed in the last 24 hours." in html
    assert "PeriodicJobsFailed" in html
    assert f"{JOBS}.broken (RuntimeError)" in html
    assert html.count("run_periodic_jobs") == 2
    assert SECRET not in html
    assert sign_in_as(caseworker).get(reverse("staff:admin-jobs")).status_code == 404
