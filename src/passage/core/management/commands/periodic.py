"""``passage periodic``: run every periodic job now, in this process (for cron or by hand).

The same jobs, in the same order and with the same failure handling, as the background task the
scheduler queues (``passage.core.periodic``). One line per job on stdout:
``<dotted path>: <count>``, or ``<dotted path>: failed (<exception class>)``. Exit status 1 when
any job failed.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from passage.core.periodic import run_jobs


class Command(BaseCommand):
    help = "Run every periodic job (PASSAGE_PERIODIC_JOBS) now and print what each did."

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = run_jobs()
        for outcome in outcomes:
            if outcome.failed:
                self.stdout.write(f"{outcome.path}: failed ({outcome.error})")
            else:
                self.stdout.write(f"{outcome.path}: {outcome.count}")
        failed = sum(1 for outcome in outcomes if outcome.failed)
        if failed:
            self.stderr.write(f"passage periodic: {failed} of {len(outcomes)} job(s) failed.")
            sys.exit(1)
