"""``passage keys``: create, check and rotate the installation's keys.

    passage keys init                 create whichever keys are missing (mode 0600)
    passage keys check                load every key the role needs; exit 2 with one line if not
    passage keys rotate               re-wrap every data key under a new master key
    passage keys rotate --data        new data keys for every record, re-encrypting in batches
    passage keys rotate --intake      a new intake key pair (older requests stay openable)
    passage keys reindex              rebuild blind indexes under a new root key
    passage keys split --threshold 3 --shares 5 [--backup-private PATH]
                                      SLIP-39 shares of the master key (and the backup private
                                      key) for the trustees, one per trustee
    passage keys recover [--backup-private-out PATH]
                                      write the master key (and the backup private key) back
                                      from a threshold of shares, typed or read from stdin
    passage keys init --after-destruction
                                      start afresh after an emergency destruction: new keys,
                                      old data stays unreadable

Rotations are resumable: run the same command again after an interruption. After an emergency
key destruction (docs/lockdown.md) ``init`` refuses until ``recover`` (or
``--after-destruction``); the key ceremony is in docs/deploy.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.audit import services as audit
from passage.core.management.commands import _keyshares as keyshares
from passage.crypto import rotation
from passage.crypto.exceptions import CryptoError
from passage.crypto.keyfiles import (
    create_intake_key_pair,
    destruction_marker_path,
    init_key_files,
)
from passage.crypto.keyring import keyring

ACTOR = "cli"


class Command(BaseCommand):
    help = "Create, check and rotate Passage's keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="create whichever keys are missing")
        init.add_argument(
            "--after-destruction",
            action="store_true",
            help="after an emergency destruction, create fresh keys anyway (old data stays "
            "unreadable here)",
        )
        sub.add_parser("check", help="load every key this role needs")
        rotate = sub.add_parser(
            "rotate", help="rotate the master key (default), data keys or intake keys"
        )
        which = rotate.add_mutually_exclusive_group()
        which.add_argument("--data", action="store_true", help="give every record a new data key")
        which.add_argument("--intake", action="store_true", help="create a new intake key pair")
        rotate.add_argument(
            "--keep-old",
            type=Path,
            metavar="PATH",
            help="write the old master key to PATH (e.g. offline media) before removing it",
        )
        sub.add_parser("reindex", help="rebuild blind indexes under a new root key")
        split = sub.add_parser(
            "split", help="print SLIP-39 shares of the master key for the trustees"
        )
        split.add_argument("--threshold", type=int, default=3, help="shares needed (default 3)")
        split.add_argument("--shares", type=int, default=5, help="shares made (default 5)")
        split.add_argument(
            "--backup-private",
            type=Path,
            metavar="PATH",
            help="the backup private key file (offline media), split together with the master",
        )
        recover = sub.add_parser(
            "recover", help="write the master key back from a threshold of trustees' shares"
        )
        recover.add_argument(
            "--backup-private-out",
            type=Path,
            metavar="PATH",
            help="where to write the backup private key, if the shares hold it (offline media)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "init":
                self._init(after_destruction=options["after_destruction"])
            elif action == "split":
                keyshares.split(self, options)
            elif action == "recover":
                keyshares.recover(self, options)
            elif action == "check":
                self._check()
            elif action == "rotate":
                self._rotate(options)
            elif action == "reindex":
                result = rotation.reindex(progress=True)
                self._audit("keys.blind_index_rotated", result.new_key_id)
                self.stdout.write(
                    f"Re-indexed {result.rewrapped} records under {result.new_key_id}."
                )
        except CryptoError as exc:
            raise CommandError(str(exc)) from None

    def _init(self, *, after_destruction: bool = False) -> None:
        keys = settings.PASSAGE_KEYS
        if settings.PASSAGE_ROLE == "intake":
            self.stdout.write(
                "The intake role holds only intake public keys; copy them from the console."
            )
            return
        marker = destruction_marker_path(keys["intake_dir"])
        if after_destruction and marker.exists():
            keyshares.retire_marker(marker)
            self._audit("keys.fresh_after_destruction", "all")
            self.stdout.write(
                "Starting afresh after the destruction: what was encrypted before stays "
                "unreadable here."
            )
        created = init_key_files(
            master=keys["master"],
            blind_index=keys["blind_index"],
            codename_pepper=keys["codename_pepper"],
            intake_dir=keys["intake_dir"],
            django_secret=settings.SECRET_KEY_PATH,
        )
        keyring.reload()
        for name in created:
            self.stdout.write(f"Created {name}.")
        if created:
            self.stdout.write(
                f"Keys are in {settings.KEYS_DIR}: back them up offline (docs/deploy.md)."
            )

    def _check(self) -> None:
        keyring.reload()
        if settings.PASSAGE_ROLE != "intake":
            keyring.wrapping_key()
            keyring.blind_root()
            keyring.codename_pepper()
        if not keyring.intake_pairs():
            raise CryptoError("No intake key pair exists; run `passage keys init`.")
        if not settings.SECRET_KEY:
            raise CryptoError("The Django secret key file is missing; run `passage keys init`.")
        self.stdout.write("Keys OK.")

    def _rotate(self, options: dict[str, Any]) -> None:
        if options["intake"]:
            key_id = create_intake_key_pair(settings.PASSAGE_KEYS["intake_dir"])
            keyring.reload()
            self._audit("keys.intake_rotated", key_id)
            self.stdout.write(
                f"New intake key pair {key_id}; copy its .public file to the intake tier."
            )
            return
        if options["data"]:
            changed = rotation.rotate_data_keys(progress=True, settle_seconds=2.0)
            self._audit("keys.data_keys_rotated", "all")
            self.stdout.write(f"Every record has a new data key; {changed} records re-encrypted.")
            return
        keep_old = options.get("keep_old")
        if keep_old is not None and keep_old.exists():
            raise CommandError("--keep-old must name a file that does not exist yet.")
        result = rotation.rotate_master(progress=True, keep_old=keep_old)
        self._audit("keys.master_rotated", result.new_key_id)
        self.stdout.write(
            f"Master key rotated to {result.new_key_id}; {result.rewrapped} data keys re-wrapped."
        )
        if keep_old is None:
            self.stdout.write(
                "The old master key was destroyed: older backups need their own copy."
            )

    def _audit(self, action: str, object_id: str) -> None:
        with audit.atomic():
            audit.record(actor=ACTOR, action=action, object_type="key", object_id=object_id)
