"""Jobs of intake, run by the console's worker (idempotent)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task

from passage.intake.services import public


def replies_expire() -> int:
    """Drop the mailbox copies of replies older than 30 days."""
    return public.replies_expire()


@task()
def checkins_open_soon() -> int:
    """Queued on commit of every mailbox check-in (PASSAGE_ROLE=all): the console side opens
    the sealed rows now rather than at the next periodic run. Safety sits above intake, so it is
    named by ``PASSAGE_CHECKIN_OPENER``; the job is idempotent (a periodic job too)."""
    opener = import_string(settings.PASSAGE_CHECKIN_OPENER)
    count: int = opener()
    return count
