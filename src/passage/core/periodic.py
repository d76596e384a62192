"""Periodic jobs: one background task that runs every job named in ``PASSAGE_PERIODIC_JOBS``.

Each job is a zero-argument function, named by its dotted path (core sits below the apps whose
jobs it runs, so it knows them only from settings), that is idempotent and returns a count. The
jobs run one after another; a failing job is logged with its dotted path and exception class,
never the exception's message (it could hold data), and the others still run.

Failures are visible: when any job failed, the task raises ``PeriodicJobsFailed`` after the last
job, so its row in the task queue ends ``FAILED`` and the worker logs it at ERROR level. That
exception names only the jobs, their exception classes and the counts of the jobs that worked,
and is raised outside any ``except`` block, so the traceback the queue stores carries no chained
exception (and no message) from a job. When all jobs work, the task's return value is
``{dotted path: count}``.

``enqueue_periodic_jobs`` queues the task, unless one is already waiting to start: with several
app servers each running a scheduler, or a worker that is down, the queue then holds at most one
waiting run instead of a growing backlog. Two schedulers that check at the same moment may both
queue one; the jobs are idempotent, so the second run finds nothing left to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutcome:
    """What one job did: its count, or the class of the exception it raised."""

    path: str
    count: int | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


class PeriodicJobsFailed(Exception):
    """At least one periodic job failed (the message names jobs and exception classes only)."""


def _class_name(exc: BaseException) -> str:
    cls = type(exc)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def run_jobs() -> list[JobOutcome]:
    """Run every job in ``PASSAGE_PERIODIC_JOBS`` now, in this process, one after another."""
    outcomes: list[JobOutcome] = []
    for path in settings.PASSAGE_PERIODIC_JOBS:
        try:
            job = import_string(path)
            count = job()
            if isinstance(count, bool) or not isinstance(count, int):
                raise TypeError("a periodic job must return an int")
        except Exception as exc:  # one job's fault must not stop the others
            outcome = JobOutcome(path, error=_class_name(exc))
            # The class only: an exception's message may quote the data it failed on.
            logger.error("Periodic job %s failed (%s)", path, outcome.error)
        else:
            outcome = JobOutcome(path, count=count)
            logger.info("Periodic job %s done: %d", path, count)
        outcomes.append(outcome)
    return outcomes


def describe_failures(outcomes: list[JobOutcome]) -> str:
    failed = [o for o in outcomes if o.failed]
    done = [o for o in outcomes if not o.failed]
    text = f"{len(failed)} of {len(outcomes)} periodic job(s) failed: " + ", ".join(
        f"{o.path} ({o.error})" for o in failed
    )
    if done:
        text += "; done: " + ", ".join(f"{o.path}={o.count}" for o in done)
    return text


@task()
def run_periodic_jobs() -> dict[str, int]:
    """The background task the scheduler queues: every periodic job, then the counts."""
    outcomes = run_jobs()
    if any(o.failed for o in outcomes):
        # Outside the except blocks of run_jobs: no job's exception is chained to this one.
        raise PeriodicJobsFailed(describe_failures(outcomes))
    return {o.path: o.count for o in outcomes if o.count is not None}


def enqueue_periodic_jobs() -> str | None:
    """Queue ``run_periodic_jobs``; its task id, or None when a queued run has not started yet."""
    backend = run_periodic_jobs.get_backend()
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=run_periodic_jobs.module_path,
            status=TaskResultStatus.READY,
        )
        if waiting.exists():
            return None
    return run_periodic_jobs.enqueue().id
