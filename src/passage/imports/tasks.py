"""Background work of imports: the import itself (a django-tasks task, queued on commit of
``services.import_start``) and the periodic sweep of abandoned uploads (idempotent)."""

from __future__ import annotations

from django_tasks import task

from passage.imports import services


@task()
def import_run_task(job_id: str) -> int:
    """Run one queued import; returns the number of cases created."""
    return services.import_run(job_id)


def imports_abandoned() -> int:
    """Shred the uploads of imports left unstarted for a day."""
    return services.imports_abandoned()
