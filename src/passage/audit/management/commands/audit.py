"""``passage audit verify [--anchor LINE]`` and ``passage audit anchor``.

Exit status: 0 the log is intact; 1 it is broken (the message names the first bad entry);
2 bad usage, such as a malformed anchor line.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from passage.audit.chain import Anchor, parse_anchor
from passage.audit.exceptions import MalformedAnchor
from passage.audit.verify import Report, verify_log


class Command(BaseCommand):
    help = "Verify the hash-chained audit log, or print an anchor line to keep off the server."
    # A forensic tool reads only the log: it must run even when the rest of the site is broken.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,anchor}")
        verify = sub.add_parser(
            "verify",
            help="Check every entry from the first to the head; exit 1 naming the first bad one.",
        )
        verify.add_argument(
            "--anchor",
            metavar="LINE",
            help="An earlier `passage audit anchor` line the log must still extend.",
        )
        anchor = sub.add_parser(
            "anchor", help="Verify the log, then print its head as one line to keep elsewhere."
        )
        for subparser in (verify, anchor):
            subparser.add_argument(
                "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
            )

    def handle(self, *args: Any, **options: Any) -> None:
        expected: Anchor | None = None
        if options.get("anchor") is not None:
            try:
                expected = parse_anchor(options["anchor"])
            except MalformedAnchor as exc:
                raise CommandError(str(exc), returncode=2) from None
        try:
            report = verify_log(using=options["database"], anchor=expected)
        except DatabaseError as exc:
            # A missing table is as unproven as a broken chain. The driver's message is left out:
            # it is not ours to vet for data.
            raise CommandError(
                f"Audit log could not be read ({type(exc).__name__}): it is NOT verified.",
                returncode=1,
            ) from None
        if not report.ok:
            intact = (
                f"entries 1..{report.sequence} are intact"
                if report.sequence
                else "no entry before it is"
            )
            raise CommandError(
                f"Audit log BROKEN at entry {report.bad_sequence}: {report.problem}; {intact}.",
                returncode=1,
            )
        if options["subcommand"] == "anchor":
            self.stdout.write(report.anchor.line())
            return
        self._print_intact(report, expected)

    def _print_intact(self, report: Report, expected: Anchor | None) -> None:
        self.stdout.write(
            f"Audit log intact: {report.count} entries, "
            f"head seq={report.sequence} hash={report.entry_hash}"
        )
        if expected is not None:
            self.stdout.write(f"It extends the anchor at seq={expected.sequence}.")
