"""``passage backup-key create --private-out PATH``: make the backup key pair.

The public half goes to ``KEYS_DIR/backup.public`` (backups are sealed to it); the private half
to PATH, which should be offline media: it is never kept on the server, so the server cannot
read its own old backups. ``passage backup-key show`` prints the id of the public key in use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.audit import services as audit
from passage.core.backup import backup_public_path
from passage.crypto import archive
from passage.crypto.exceptions import CryptoError


class Command(BaseCommand):
    help = "Create the backup key pair (public half here, private half to offline media)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a new backup key pair")
        create.add_argument(
            "--private-out",
            type=Path,
            required=True,
            metavar="PATH",
            help="where to write the private half (offline media; must not exist)",
        )
        sub.add_parser("show", help="print the id of the backup public key")

    def handle(self, *args: Any, **options: Any) -> None:
        public_path = backup_public_path()
        try:
            if options["action"] == "show":
                key_id = archive.backup_key_id(archive.read_public_key(public_path))
                self.stdout.write(key_id)
                return
            private_out: Path = options["private_out"].expanduser().resolve()
            if private_out.parent == public_path.parent.resolve():
                raise CommandError(
                    "Write the private half outside the keys directory (offline media)."
                )
            with audit.atomic():
                key_id = archive.create_backup_key_pair(
                    public_path=public_path, private_path=private_out
                )
                audit.record(
                    actor="cli",
                    action="backup.key_created",
                    object_type="backup_key",
                    object_id=key_id,
                )
        except CryptoError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"Cannot write the key file ({exc.strerror}).") from None
        self.stdout.write(f"backup key {key_id}: public half in the keys directory.")
        self.stdout.write("Move the private half to offline media now; keep no copy here.")
