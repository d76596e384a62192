"""Read-only checks of the installation's health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

_migrations_seen_current = False


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def migrations_current() -> bool:
    """True when no migration is pending. Once true it stays true for this process."""
    global _migrations_seen_current
    if _migrations_seen_current:
        return True
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False
    _migrations_seen_current = not plan
    return _migrations_seen_current


@dataclass(frozen=True)
class JobRun:
    """One background task as admins see it: what, when, how it ended; never its arguments or
    the message of an exception (messages may quote data; our periodic-jobs failure names only
    the jobs and their exception classes, so that one is shown)."""

    task: str
    status: str
    enqueued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error_class: str
    failed_jobs: str


def recent_job_runs(*, limit: int = 100) -> list[JobRun]:
    """The newest background tasks (periodic runs, pushes, imports...), newest first."""
    from django_tasks_db.models import DBTaskResult

    from passage.core.periodic import PeriodicJobsFailed

    periodic_failure = f"{PeriodicJobsFailed.__module__}.{PeriodicJobsFailed.__qualname__}"
    rows = DBTaskResult.objects.order_by("-enqueued_at").only(
        "task_path",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "exception_class_path",
        "traceback",
    )[:limit]
    runs = []
    for row in rows:
        failed_jobs = ""
        if row.exception_class_path == periodic_failure:
            # The last line of the traceback is "<class>: <message naming jobs and classes>".
            lines = [line for line in row.traceback.splitlines() if line.strip()]
            failed_jobs = lines[-1].partition(": ")[2] if lines else ""
        runs.append(
            JobRun(
                task=row.task_path.rpartition(".")[2],
                status=str(row.status),
                enqueued_at=row.enqueued_at,
                started_at=row.started_at,
                finished_at=row.finished_at,
                error_class=row.exception_class_path.rpartition(".")[2],
                failed_jobs=failed_jobs,
            )
        )
    return runs


def failed_job_count(*, since: dt.datetime) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.failed().filter(enqueued_at__gte=since).count()
