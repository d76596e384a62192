"""``passage backup FILE``: one encrypted archive of the whole installation.

Database content (every table, the audit chain, the wrapped data keys, the shred ledger) and
the encrypted files, sealed to the backup public key (``passage backup-key create``). Keys are
not in it: keep the offline key backup (docs/deploy.md). Progress on stderr with ``--progress``
(on by default on a terminal).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.audit import services as audit
from passage.core.backup import BackupError, write_backup
from passage.crypto.exceptions import CryptoError


class Command(BaseCommand):
    help = "Write an encrypted backup archive of the database and the encrypted files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write (must not exist)")
        parser.add_argument(
            "--progress", action="store_true", default=None, help="show a progress bar"
        )
        parser.add_argument("--no-progress", dest="progress", action="store_false")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = options["progress"]
        if progress is None:
            progress = sys.stderr.isatty()
        path: Path = options["file"]
        try:
            result = write_backup(path, progress=progress)
            with audit.atomic():
                audit.record(
                    actor="cli",
                    action="backup.written",
                    object_type="backup",
                    object_id=result.backup_id,
                )
        except (BackupError, CryptoError) as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"Cannot write the backup file ({exc.strerror}).") from None
        self.stdout.write(
            f"backup {result.backup_id}: {result.tables} tables, {result.rows} rows, "
            f"{result.blobs} files."
        )
