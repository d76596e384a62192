"""``passage restore FILE --key PRIVATE_KEY_FILE [--ledger NEWER ...]``: rebuild an installation.

Into an empty database and blob store only (a data directory holding just the keys directory,
restored from the offline key backup, and perhaps the shred ledger file). Ids and the audit
chain are kept as they were, so ``passage audit verify`` passes. Shred ledgers are merged (the
archive's, the ledger file beside the database, every ``--ledger``: a newer backup archive or a
ledger file) and replayed, so nothing shredded since the backup comes back.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.core.backup import BackupError, restore_backup
from passage.crypto import archive
from passage.crypto.exceptions import CryptoError


class Command(BaseCommand):
    help = "Rebuild an installation from an encrypted backup archive (into an empty one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup archive")
        parser.add_argument(
            "--key",
            type=Path,
            required=True,
            metavar="PRIVATE_KEY_FILE",
            help="the backup private key (from offline media)",
        )
        parser.add_argument(
            "--ledger",
            type=Path,
            action="append",
            default=[],
            metavar="NEWER",
            help="a newer backup archive or shred ledger file whose shreds to replay too",
        )
        parser.add_argument(
            "--progress", action="store_true", default=None, help="show a progress bar"
        )
        parser.add_argument("--no-progress", dest="progress", action="store_false")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = options["progress"]
        if progress is None:
            progress = sys.stderr.isatty()
        for path in [options["file"], options["key"], *options["ledger"]]:
            if not path.is_file():
                raise CommandError(f"{path.name}: no such file.")
        try:
            private = archive.read_private_key(options["key"])
            result = restore_backup(
                options["file"], private=private, ledgers=options["ledger"], progress=progress
            )
        except (BackupError, CryptoError) as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"Cannot read or write a file ({exc.strerror}).") from None
        self.stdout.write(
            f"restored backup {result.backup_id}: {result.rows} rows, {result.blobs} files; "
            f"shred ledger {result.ledger_entries} entries, {result.replayed} shredded again."
        )
        self.stdout.write("Run `passage audit verify` to check the audit chain.")
