"""``passage retention [--dry-run] [--now ISO-TIME]``: shred what the retention policies make due.

``--dry-run`` lists, one line each, what a run would do: records by kind, short reference, id
and the policy that makes them due, intake key rotation and destruction. Nothing about the
person. Without it, the same plan is carried out and the counts printed (and audited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from passage.retention import plan as planning
from passage.retention import policies, services


class Command(BaseCommand):
    help = "Shred declined, spam and old closed records as the retention policies say."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be shredded; change nothing."
        )
        parser.add_argument("--now", help="Act as if it were this time (ISO 8601, for drills).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError("--now must be an ISO 8601 time.") from None
            if timezone.is_naive(now):
                now = now.replace(tzinfo=dt.UTC)
        todo = planning.plan(now)
        if options["dry_run"]:
            for name, days in policies.all_days().items():
                self.stdout.write(f"policy {name}: {days} days")
            lines = todo.lines()
            for line in lines:
                self.stdout.write(line)
            self.stdout.write(f"{len(todo.all_due())} record(s) would be shredded.")
            return
        result = services.run(now=now, planned=todo, always_record=True)
        for item in result.shredded:
            self.stdout.write(f"shredded {item.line()}")
        for item in result.skipped:
            self.stdout.write(f"skipped (no longer due) {item.line()}")
        if result.key_created:
            self.stdout.write(f"created intake key pair {result.key_created}")
        for key_id in result.keys_destroyed:
            self.stdout.write(f"destroyed intake private key {key_id}")
        self.stdout.write(
            f"{len(result.shredded)} record(s) shredded, {result.resealed} sealed row(s) moved, "
            f"{len(result.keys_destroyed)} intake private key(s) destroyed."
        )
