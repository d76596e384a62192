"""The installation's long-lived keys, read from files named by settings.

- master key (key-encryption key): wraps every data key; during a rotation a second file
  ``<master>.next`` holds its successor, and both are loaded until the rotation completes;
- blind-index root key: per-scope HMAC keys are derived from it with HKDF;
- codename pepper: for mailbox look-ups (intake);
- intake key pairs: X25519, public halves seal requests, private halves open them.

The intake role has only intake public keys; asking it for anything else raises KeyFileError.

After an emergency destruction (docs/lockdown.md) the destruction marker sits beside the key
files: every keyring notices it within ``STAT_INTERVAL`` seconds, drops what it holds and raises
``KeysDestroyed`` from then on (``passage serve`` also watches the marker and stops every
process, so no copy stays in memory).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from passage.crypto.exceptions import KeyFileError
from passage.crypto.keyfiles import (
    IntakeKeyPair,
    destruction_marker_path,
    key_id_for,
    read_intake_key_pairs,
    read_key_file,
)


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes


def _paths() -> dict[str, Path]:
    keys: dict[str, Path] = settings.PASSAGE_KEYS
    return keys


class KeysDestroyed(KeyFileError):
    """This server's keys were destroyed in an emergency; recovery is in docs/deploy.md."""


def destroyed_marker() -> Path:
    """The destruction marker of this installation's key directory."""
    return destruction_marker_path(_paths()["intake_dir"])


def keys_destroyed() -> bool:
    """Whether this server's keys were destroyed (the marker is present)."""
    return destroyed_marker().exists()


def next_master_path() -> Path:
    master = _paths()["master"]
    return master.with_name(master.name + ".next")


def next_blind_index_path() -> Path:
    root = _paths()["blind_index"]
    return root.with_name(root.name + ".next")


class Keyring:
    """Lazily loaded, process-wide key material. ``reload()`` after key files change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._master: dict[str, MasterKey] | None = None
        self._current_master_id: str | None = None
        self._blind_root: MasterKey | None = None
        self._blind_next: MasterKey | None = None
        self._pepper: bytes | None = None
        self._intake: list[IntakeKeyPair] | None = None
        self._checked_at = float("-inf")
        self._seen_stamp: tuple[tuple[int, int] | None, ...] = ()
        self._destroyed: bool | None = None  # None: look at the marker on next use

    # Another process may rotate a key file; notice within this many seconds.
    STAT_INTERVAL = 5.0

    def _stamp(self) -> tuple[tuple[int, int] | None, ...]:
        paths = _paths()
        stamps: list[tuple[int, int] | None] = []
        for path in (
            paths["master"],
            next_master_path(),
            paths["blind_index"],
            next_blind_index_path(),
            destroyed_marker(),
        ):
            try:
                st = path.stat()
                stamps.append((st.st_ino, st.st_mtime_ns))
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    def _maybe_reload(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < self.STAT_INTERVAL:
            return
        self._checked_at = now
        stamp = self._stamp()
        if stamp != self._seen_stamp:
            self._seen_stamp = stamp
            self.reload()

    def reload(self) -> None:
        with self._lock:
            self._destroyed = None
            self._master = None
            self._current_master_id = None
            self._blind_root = None
            self._blind_next = None
            self._pepper = None
            self._intake = None

    def _refuse_if_destroyed(self) -> None:
        self._maybe_reload()
        destroyed = self._destroyed
        if destroyed is None:
            destroyed = self._destroyed = keys_destroyed()
        if destroyed:
            raise KeysDestroyed(
                "This server's keys were destroyed in an emergency; recover them from the "
                "trustees' shares (docs/deploy.md, key ceremony)."
            )

    def _refuse_on_intake(self, what: str) -> None:
        if settings.PASSAGE_ROLE == "intake":
            raise KeyFileError(f"The intake tier holds no {what}.")

    # --- master keys --------------------------------------------------------------------------

    def _load_master(self) -> tuple[dict[str, MasterKey], str]:
        self._refuse_on_intake("master key")
        self._refuse_if_destroyed()
        with self._lock:
            if self._master is None or self._current_master_id is None:
                key = read_key_file(_paths()["master"], label="master")
                current = MasterKey(key_id_for("master", key), key)
                keys = {current.key_id: current}
                next_path = next_master_path()
                current_id = current.key_id
                if next_path.exists():
                    successor = read_key_file(next_path, label="next master")
                    nxt = MasterKey(key_id_for("master", successor), successor)
                    keys[nxt.key_id] = nxt
                    # New data keys are wrapped by the successor so the rotation never chases them.
                    current_id = nxt.key_id
                self._master = keys
                self._current_master_id = current_id
            return self._master, self._current_master_id

    def wrapping_key(self) -> MasterKey:
        """The master key that wraps new data keys."""
        keys, current_id = self._load_master()
        return keys[current_id]

    def master_key(self, key_id: str) -> MasterKey:
        keys, _ = self._load_master()
        try:
            return keys[key_id]
        except KeyError:
            raise KeyFileError(
                f"Master key {key_id} is not loaded: the data key was wrapped by another one."
            ) from None

    # --- blind-index root ---------------------------------------------------------------------

    def blind_root(self) -> MasterKey:
        self._refuse_on_intake("blind-index key")
        self._refuse_if_destroyed()
        with self._lock:
            if self._blind_root is None:
                key = read_key_file(_paths()["blind_index"], label="blind-index root")
                self._blind_root = MasterKey(key_id_for("blind-index", key), key)
            return self._blind_root

    def blind_next(self) -> MasterKey | None:
        """The successor root during `passage keys reindex`, else None."""
        self._refuse_on_intake("blind-index key")
        self._refuse_if_destroyed()
        with self._lock:
            if self._blind_next is None:
                path = next_blind_index_path()
                if not path.exists():
                    return None
                key = read_key_file(path, label="next blind-index root")
                self._blind_next = MasterKey(key_id_for("blind-index", key), key)
            return self._blind_next

    def codename_pepper(self) -> bytes:
        self._refuse_if_destroyed()
        with self._lock:
            if self._pepper is None:
                self._pepper = read_key_file(_paths()["codename_pepper"], label="codename pepper")
            return self._pepper

    # --- intake key pairs ---------------------------------------------------------------------

    def intake_pairs(self) -> list[IntakeKeyPair]:
        self._refuse_if_destroyed()
        with self._lock:
            if self._intake is None:
                pairs = read_intake_key_pairs(_paths()["intake_dir"])
                if settings.PASSAGE_ROLE == "intake":
                    # Even if a private half were copied here by mistake, never use it.
                    pairs = [IntakeKeyPair(p.key_id, p.public, None) for p in pairs]
                self._intake = pairs
            return self._intake


keyring = Keyring()


def derive_key(root: bytes, purpose: str) -> bytes:
    """A 256-bit subkey of ``root`` for one purpose (HKDF-SHA256)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"passage/v1/{purpose}".encode()
    ).derive(root)
