"""``passage scheduler``: queue the periodic jobs every PASSAGE_SCHEDULER_SECONDS, until stopped.

The first run is queued a few seconds after start (FIRST_RUN_SECONDS, once the worker is up),
then one every PASSAGE_SCHEDULER_SECONDS. The scheduler only queues the task
(``passage.core.periodic.enqueue_periodic_jobs``, which skips a run while an earlier one is still
waiting); the background worker (``passage db_worker``) runs the jobs. SIGTERM or Ctrl-C stops it
cleanly, in the middle of a wait too, with exit status 0. ``passage serve`` runs it beside the
web server and the worker.

A database error while queueing is logged (its class only) and the next run is tried at the
usual time: the jobs are idempotent, so a missed run is caught up by the next one.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, transaction

from passage.core.periodic import enqueue_periodic_jobs

logger = logging.getLogger("passage.core.scheduler")

FIRST_RUN_SECONDS = 5.0
# Longest sleep between looks at the clock and at the stop flag.
POLL_SECONDS = 0.5


class Scheduler:
    """The loop of ``passage scheduler``; the clock and the sleep can be replaced in tests."""

    def __init__(
        self,
        *,
        interval: float,
        first_delay: float = FIRST_RUN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self.first_delay = first_delay
        self.clock = clock
        self.sleep = sleep
        self.stopping = False

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Ask the loop to end (also the SIGTERM and SIGINT handler)."""
        self.stopping = True

    def run(self) -> None:
        next_run = self.clock() + self.first_delay
        while not self.stopping:
            now = self.clock()
            if now < next_run:
                self.sleep(min(POLL_SECONDS, next_run - now))
                continue
            self.tick()
            next_run += self.interval
            if next_run <= self.clock():
                # Fell behind (a database that hung): no burst of catch-up runs.
                next_run = self.clock() + self.interval

    def tick(self) -> None:
        """Queue one run of the periodic jobs; a database error waits for the next tick."""
        # A long-lived process must drop a broken or expired connection itself (the worker does
        # the same); never in the middle of a transaction.
        if not transaction.get_connection().in_atomic_block:
            close_old_connections()
        try:
            task_id = enqueue_periodic_jobs()
        except DatabaseError as exc:
            # The class only: a database error's message can quote the values it failed on.
            logger.warning(
                "Could not queue the periodic jobs (%s); trying again in %d s.",
                type(exc).__name__,
                self.interval,
            )
            return
        if task_id is None:
            logger.warning(
                "The periodic jobs queued earlier have not started yet; not queueing them again. "
                "Is the background worker (passage db_worker) running?"
            )
        else:
            logger.info("Queued the periodic jobs (task %s).", task_id)


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs (PASSAGE_PERIODIC_JOBS) for the background worker every "
        "PASSAGE_SCHEDULER_SECONDS; SIGTERM or Ctrl-C stops it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = Scheduler(interval=settings.PASSAGE_SCHEDULER_SECONDS)
        previous = {
            sig: signal.signal(sig, scheduler.stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        logger.info(
            "Scheduler started: periodic jobs every %d s, the first in %d s.",
            settings.PASSAGE_SCHEDULER_SECONDS,
            FIRST_RUN_SECONDS,
        )
        try:
            scheduler.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        logger.info("Scheduler stopped.")
