"""Admins see the background jobs: periodic runs, pushes, imports; and which of them failed."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.core import queries


@staff_view(Perm.JOBS_VIEW)
@require_safe
def job_runs(request: HttpRequest) -> HttpResponse:
    day_ago = timezone.now() - dt.timedelta(days=1)
    context = {
        "runs": queries.recent_job_runs(limit=100),
        "failed_today": queries.failed_job_count(since=day_ago),
    }
    return render(request, "accounts/admin/jobs.html", context)
