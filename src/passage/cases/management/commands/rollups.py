"""``passage rollups rebuild|check``: repair or check the report rollup tables.

``rebuild`` replaces the tables by the sum of every case's contributions
(``passage.cases.rollups.from_scratch``: the same function the services apply as cases move),
in one transaction with one audit entry. ``check`` compares without writing and exits 1 if the
tables differ. Reads every case in chunks (decrypting each principal's categories in memory):
a repair, not something dashboards ever do.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.audit import services as audit
from passage.cases import rollups


class Command(BaseCommand):
    help = "Rebuild (or check) the report rollup tables from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--chunk", type=int, default=5000, help="cases read at a time")

    def handle(self, *args: Any, **options: Any) -> None:
        chunk = max(1, int(options["chunk"]))
        if options["action"] == "check":
            expected = rollups.from_scratch(chunk=chunk).nonzero()
            found = rollups.stored()
            if not rollups.agrees(expected):
                differ = len(set(expected.cases.items()) ^ set(found.cases.items()))
                differ += len(set(expected.arrivals.items()) ^ set(found.arrivals.items()))
                differ += len(set(expected.stages.items()) ^ set(found.stages.items()))
                raise CommandError(
                    f"rollups differ from the cases ({differ} rows or totals differ)"
                )
            self.stdout.write(f"rollups agree with the cases ({len(found.cases)} rows)")
            return
        with audit.atomic():
            total = rollups.rebuild(chunk=chunk)
            audit.record(
                actor="cli",
                action="reports.rollups_rebuilt",
                object_type="job",
                object_id="rollups",
            )
        self.stdout.write(
            f"rollups rebuilt: {len(total.cases)} rows, {len(total.arrivals)} arrival buckets"
        )
