"""``passage exports decrypt FILE --key PRIVATE`` and ``passage exports keypair``: what the
recipient of a full export runs (the same as ``python -m passage.exports.envelope``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.exports import envelope


class Command(BaseCommand):
    help = "Open a full export sealed to your key, or make a key pair for receiving one."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        decrypt = commands.add_parser("decrypt", help="open an export file")
        decrypt.add_argument("file")
        decrypt.add_argument("--key", required=True, help="the private key (base64) or @FILE")
        decrypt.add_argument("--out", help="where to write the CSV (default: stdout)")
        commands.add_parser("keypair", help="make a key pair (give the public half)")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [options["action"]]
        if options["action"] == "decrypt":
            argv += [options["file"], "--key", options["key"]]
            if options.get("out"):
                argv += ["--out", options["out"]]
        status = envelope.main(argv)
        if status:
            raise CommandError("The export file could not be opened.")
