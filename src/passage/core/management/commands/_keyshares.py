"""``passage keys split`` and ``passage keys recover``: the trustees' SLIP-39 shares.

The secret split is the master key (32 bytes), or the master key followed by the backup private
key (64 bytes) when ``--backup-private`` names that file; the length says which on recovery.
Shares are SLIP-39 mnemonics (``shamir_mnemonic``, one group, no passphrase: the threshold is
the protection), printed one per trustee with the key ids they restore, so a trustee can check
a share belongs to this installation without learning anything about the key.

Recovery reads shares (one per line, typed at a prompt or piped on stdin) until the threshold is
met, writes the master key (0600, never over a present key) and the backup private key (to
``--backup-private-out``, offline media), and retires the destruction marker if there is one.
Nothing secret is written to the audit log or to the terminal except the shares themselves.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import shamir_mnemonic
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from nacl.public import PrivateKey
from shamir_mnemonic.share import Share

from passage.audit import services as audit
from passage.crypto.exceptions import KeyFileError
from passage.crypto.keyfiles import (
    KEY_BYTES,
    destruction_marker_path,
    key_id_for,
    read_key_file,
    write_recovered_key,
)
from passage.crypto.keyring import keyring, next_master_path

MAX_SHARES = 16  # SLIP-39's limit per group


def _record(action: str, object_id: str) -> None:
    with audit.atomic():
        audit.record(actor="cli", action=action, object_type="key", object_id=object_id)


def _backup_public_path() -> Path:
    return Path(settings.KEYS_DIR) / "backup.public"


def _backup_key_id(public: bytes) -> str:
    return key_id_for("backup", public)


def split(command: BaseCommand, options: dict[str, Any]) -> None:
    threshold: int = options["threshold"]
    shares: int = options["shares"]
    if not 1 <= threshold <= shares <= MAX_SHARES:
        raise CommandError(
            f"Choose 1 <= --threshold <= --shares <= {MAX_SHARES} (e.g. --threshold 3 --shares 5)."
        )
    if threshold == 1 and shares > 1:
        raise CommandError("A threshold of 1 would make every share the whole key: use 2 or more.")
    if next_master_path().exists():
        raise CommandError("A master-key rotation is in progress: finish it, then split the key.")
    master = read_key_file(settings.PASSAGE_KEYS["master"], label="master")
    secret = master
    lines = [f"master key {key_id_for('master', master)}"]
    backup_path: Path | None = options.get("backup_private")
    if backup_path is not None:
        backup = read_key_file(backup_path.expanduser(), label="backup private")
        secret += backup
        public = bytes(PrivateKey(backup).public_key)
        lines.append(f"backup private key of backup public key {_backup_key_id(public)}")
    groups = shamir_mnemonic.generate_mnemonics(
        group_threshold=1, groups=[(threshold, shares)], master_secret=secret
    )
    out = command.stdout
    out.write(
        f"{shares} shares; any {threshold} of them restore: " + "; ".join(lines) + ".\n"
        "Give each trustee one share (on paper, never photographed or typed into a phone).\n"
    )
    for number, mnemonic in enumerate(groups[0], start=1):
        out.write(f"\nShare {number} of {shares}:\n{mnemonic}\n")
    _record("keys.split", f"{threshold}-of-{shares}")


def _read_shares(command: BaseCommand) -> list[str]:
    """Shares, one per line, until enough are given (SLIP-39 shares say how many that is)."""
    interactive = sys.stdin.isatty()
    collected: list[str] = []
    needed: int | None = None
    while needed is None or len(collected) < needed:
        if interactive:
            command.stderr.write(f"Share {len(collected) + 1} (one line, then Enter): ", ending="")
            command.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            break
        words = " ".join(line.split())
        if not words:
            continue
        try:
            share = Share.from_mnemonic(words)
        except shamir_mnemonic.MnemonicError as exc:
            raise CommandError(f"Share {len(collected) + 1} is not a valid share: {exc}") from None
        needed = share.member_threshold
        collected.append(words)
    if needed is None or len(collected) < needed:
        raise CommandError(
            f"Not enough shares: {len(collected)} given, {needed or 'at least 2'} needed."
        )
    return collected


def retire_marker(marker: Path) -> None:
    """Keep the destruction marker as a record beside the keys, under a name that no longer
    blocks anything (``DESTROYED.retired-<time>``)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    marker.rename(marker.with_name(f"{marker.name}.retired-{stamp}"))


def recover(command: BaseCommand, options: dict[str, Any]) -> None:
    shares = _read_shares(command)
    try:
        secret = shamir_mnemonic.combine_mnemonics(shares)
    except shamir_mnemonic.MnemonicError as exc:
        raise CommandError(f"These shares do not fit together: {exc}") from None
    if len(secret) not in (KEY_BYTES, 2 * KEY_BYTES):
        raise CommandError("These shares do not hold a Passage key.")
    master, backup = secret[:KEY_BYTES], secret[KEY_BYTES:]
    backup_out: Path | None = options.get("backup_private_out")
    if backup and backup_out is None:
        raise CommandError(
            "These shares hold the backup private key too: give --backup-private-out PATH "
            "(offline media) to write it."
        )
    master_path: Path = settings.PASSAGE_KEYS["master"]
    try:
        write_recovered_key(master_path, master)
    except KeyFileError as exc:
        raise CommandError(str(exc)) from None
    master_id = key_id_for("master", master)
    command.stdout.write(f"Master key {master_id} written to {master_path}.")
    if backup and backup_out is not None:
        public = bytes(PrivateKey(backup).public_key)
        public_path = _backup_public_path()
        if public_path.exists() and read_key_file(public_path, label="backup public") != public:
            command.stderr.write(
                "Note: this backup private key does not match the backup public key in use."
            )
        try:
            write_recovered_key(backup_out.expanduser(), backup)
        except KeyFileError as exc:
            raise CommandError(str(exc)) from None
        command.stdout.write(
            f"Backup private key (of {_backup_key_id(public)}) written to {backup_out}."
        )
    marker = destruction_marker_path(settings.PASSAGE_KEYS["intake_dir"])
    if marker.exists():
        retire_marker(marker)
        command.stdout.write(
            "The destruction marker is retired. Copy back the blind-index key, the codename "
            "pepper and the intake private keys from the offline key copy if you have them, "
            "then run `passage keys init` (it creates whatever is still missing), and "
            "`passage keys reindex` if the blind-index key is new (docs/deploy.md)."
        )
    keyring.reload()
    _record("keys.recovered", master_id)
