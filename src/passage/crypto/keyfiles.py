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


def create_intake_key_pair(intake_dir: Path) -> str:
    """Generate a new X25519 intake key pair; returns its id. The newest pair seals new requests."""
    private = PrivateKey.generate()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
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
    """Create whichever keys are missing; returns the names of those created."""
    created = []
    for name, path in (
        ("master key", master),
        ("blind-index root key", blind_index),
        ("codename pepper", codename_pepper),
    ):
        if create_key_file(path):
            created.append(name)
    if not read_intake_key_pairs(intake_dir):
        created.append(f"intake key pair {create_intake_key_pair(intake_dir)}")
    if create_text_secret(django_secret):
        created.append("Django secret key")
    return created
