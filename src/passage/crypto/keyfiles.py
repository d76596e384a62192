"""Key files on disk: creation (mode 0600, never overwritten), reading and validation.

Plain Python with no Django import, so test set-up and ``passage keys init`` share it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from nacl.public import PrivateKey

from passage.crypto.exceptions import KeyFileError

KEY_BYTES = 32


def key_id_for(purpose: str, key: bytes) -> str:
    """A short, stable id naming a key without revealing anything about it."""
    digest = hashlib.sha256(b"passage-key-id\x00" + purpose.encode() + b"\x00" + key).hexdigest()
    return f"{purpose[:2]}-{digest[:16]}"


def _ensure_private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def write_secret_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable only by its owner; refuse to overwrite."""
    _ensure_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_secret_file(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` with ``data`` (mode 0600)."""
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    write_secret_file(tmp, data)
    tmp.replace(path)


def encode_key(key: bytes) -> bytes:
    return base64.b64encode(key) + b"\n"


def read_key_file(path: Path, *, label: str) -> bytes:
    """Read a 32-byte key stored as base64; errors name the key, never the content."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"The {label} key file is missing; run `passage keys init`.") from None
    except OSError:
        raise KeyFileError(f"The {label} key file cannot be read.") from None
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError(f"The {label} key file is not valid base64.") from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"The {label} key file does not hold a {KEY_BYTES}-byte key.")
    return key


def create_key_file(path: Path) -> bool:
    """Create a random key at ``path`` unless one exists; True when created."""
    if path.exists():
        return False
    write_secret_file(path, encode_key(secrets.token_bytes(KEY_BYTES)))
    return True


def create_text_secret(path: Path) -> bool:
    """Create a random text secret (e.g. Django's SECRET_KEY) unless one exists."""
    if path.exists():
        return False
    write_secret_file(path, secrets.token_urlsafe(50).encode() + b"\n")
    return True


@dataclass(frozen=True)
class IntakeKeyPair:
    key_id: str
    public: bytes
    private: bytes | None  # None where only the public half is present (the intake tier)


def create_intake_key_pair(intake_dir: Path, *, now: dt.datetime | None = None) -> str:
    """Generate a new X25519 intake key pair; returns its id. The newest pair seals new requests.

    ``now`` (tests, and the rotation job's clock) stamps the id; ids sort by it."""
    private = PrivateKey.generate()
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    key_id = f"ik-{stamp}-{secrets.token_hex(3)}"
    write_secret_file(intake_dir / f"{key_id}.public", encode_key(bytes(private.public_key)))
    write_secret_file(intake_dir / f"{key_id}.secret", encode_key(bytes(private)))
    return key_id


def read_intake_key_pairs(intake_dir: Path) -> list[IntakeKeyPair]:
    """All intake key pairs present, oldest first (ids sort by creation time)."""
    if not intake_dir.is_dir():
        return []
    pairs = []
    for public_path in sorted(intake_dir.glob("ik-*.public")):
        key_id = public_path.name.removesuffix(".public")
        secret_path = intake_dir / f"{key_id}.secret"
        private = (
            read_key_file(secret_path, label=f"intake {key_id} private")
            if secret_path.exists()
            else None
        )
        public = read_key_file(public_path, label=f"intake {key_id} public")
        pairs.append(IntakeKeyPair(key_id=key_id, public=public, private=private))
    return pairs


def init_key_files(
    *,
    master: Path,
    blind_index: Path,
    codename_pepper: Path,
    intake_dir: Path,
    django_secret: Path,
) -> list[str]:
    """Create whichever keys are missing; returns the names of those created.

    Refuses after an emergency destruction (the marker is present): fresh keys over destroyed
    ones would look like a working installation that silently reads nothing. Recover the
    keys first (`passage keys recover`), or start afresh with `keys init --after-destruction`.
    """
    if destruction_marker_path(intake_dir).exists():
        raise KeyFileError(
            "This server's keys were destroyed in an emergency: recover them from the trustees' "
            "shares (`passage keys recover`, docs/deploy.md) or, to start afresh with data that "
            "stays unreadable, run `passage keys init --after-destruction`."
        )
    created = []
    for name, path in (
        ("master key", master),
        ("blind-index root key", blind_index),
        ("codename pepper", codename_pepper),
    ):
        if create_key_file(path):
            created.append(name)
    # No pair with its private half (none yet, or all destroyed): requests sealed from now on
    # must be openable here, so a new pair (the newest seals) is made.
    if not any(pair.private is not None for pair in read_intake_key_pairs(intake_dir)):
        created.append(f"intake key pair {create_intake_key_pair(intake_dir)}")
    if create_text_secret(django_secret):
        created.append("Django secret key")
    return created


def intake_key_created_at(key_id: str) -> dt.datetime | None:
    """When an intake key pair was made, from its id (``ik-<UTC timestamp>-<random>``)."""
    parts = key_id.split("-")
    if len(parts) != 3 or parts[0] != "ik":
        return None
    try:
        return dt.datetime.strptime(parts[1], "%Y%m%d%H%M%S%f").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def destroy_file(path: Path) -> bool:
    """Overwrite a key file with zeros, flush it, then remove it; True if it existed.

    On journalling or copy-on-write file systems and SSDs the old blocks may survive the
    overwrite; the removal is what counts, with full-disk encryption beneath (docs/deploy.md)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, b"\0" * size)
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink()
    return True


def destroy_intake_private_key(intake_dir: Path, key_id: str) -> bool:
    """Destroy the private half of one intake key pair (the public half stays, as a record)."""
    if "/" in key_id or not key_id.startswith("ik-"):
        raise KeyFileError("Not an intake key id.")
    return destroy_file(intake_dir / f"{key_id}.secret")


# --- emergency destruction and recovery (docs/lockdown.md, docs/deploy.md "Key ceremony") -----

DESTROYED_MARKER_NAME = "DESTROYED"


def destruction_marker_path(intake_dir: Path) -> Path:
    """The marker that says this server's keys were destroyed: beside the key files."""
    return intake_dir.parent / DESTROYED_MARKER_NAME


def _shred_file(path: Path) -> bool:
    """Overwrite a key file with random bytes, flush it, and remove it; True if it existed.

    On flash storage and copy-on-write file systems an overwrite may not reach the old blocks:
    removing the file is what counts, together with full-disk encryption (docs/deploy.md).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, secrets.token_bytes(max(size, KEY_BYTES * 2)))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass  # removing it below is what matters
    path.unlink(missing_ok=True)
    return True


def destroy_key_files(
    *, master: Path, blind_index: Path, codename_pepper: Path, intake_dir: Path, note: str
) -> int:
    """Destroy the master key(s), the blind-index root(s), the codename pepper and every intake
    private key on this server; returns how many files went.

    The destruction marker (``note`` in it: a time and an id, nothing secret) is written first,
    so that even an interrupted destruction leaves `keys init` refusing to create fresh keys
    and every keyring refusing to load. Intake *public* keys stay: they open nothing.
    """
    marker = destruction_marker_path(intake_dir)
    if not marker.exists():
        write_secret_file(marker, note.encode() + b"\n")
    doomed = [
        master,
        master.with_name(master.name + ".next"),
        blind_index,
        blind_index.with_name(blind_index.name + ".next"),
        codename_pepper,
    ]
    if intake_dir.is_dir():
        doomed += sorted(intake_dir.glob("ik-*.secret"))
    destroyed = sum(1 for path in doomed if _shred_file(path))
    for folder in {master.parent, intake_dir}:
        _fsync_dir(folder)
    return destroyed


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_recovered_key(path: Path, key: bytes) -> None:
    """Write a key recovered from trustees' shares (0600); refuse to overwrite a present key."""
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"A recovered key must be {KEY_BYTES} bytes.")
    if path.exists():
        raise KeyFileError(f"{path.name} exists already: a present key is never overwritten.")
    write_secret_file(path, encode_key(key))
