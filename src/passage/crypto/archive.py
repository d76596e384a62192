"""Encrypted backup archives: a stream of frames sealed to the backup public key.

Layout::

    b"PASSAGE-BACKUP\\n" | u32 header length | header (JSON) | chunks...

The header names the format, the backup key id, the stream key sealed with a libsodium sealed
box to the backup public key (X25519), and the secretstream header. Each chunk is ``u32 length
| crypto_secretstream_xchacha20poly1305`` ciphertext of one frame (``type byte | zlib data``),
with the SHA-256 of magic and header as associated data, so the header cannot be swapped; the
last chunk carries ``TAG_FINAL``, so a truncated archive is refused. Only the holder of the
backup private key (kept offline, never on the server) can read an archive; the server only
ever has the public half. Plain Python, no Django import.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nacl import bindings as sodium
from nacl.exceptions import CryptoError as NaclCryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from passage.crypto.exceptions import CryptoError
from passage.crypto.keyfiles import encode_key, key_id_for, read_key_file, write_secret_file

MAGIC = b"PASSAGE-BACKUP\n"
FORMAT = 1
MAX_HEADER = 64 * 1024
MAX_CHUNK = 64 * 1024 * 1024
ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL


class ArchiveError(CryptoError):
    """The archive cannot be read: wrong key, damaged, truncated or not an archive."""


def backup_key_id(public: bytes) -> str:
    return key_id_for("backup", public)


def create_backup_key_pair(*, public_path: Path, private_path: Path) -> str:
    """Write a new backup key pair: the private half to ``private_path`` (offline media), the
    public half to ``public_path`` (the keys directory). Refuses to overwrite either."""
    for path in (public_path, private_path):
        if path.exists():
            raise CryptoError(f"{path.name} exists already; it is never overwritten.")
    private = PrivateKey.generate()
    public = bytes(private.public_key)
    write_secret_file(private_path, encode_key(bytes(private)))
    write_secret_file(public_path, encode_key(public))
    return backup_key_id(public)


def read_private_key(path: Path) -> PrivateKey:
    return PrivateKey(read_key_file(path, label="backup private"))


def read_public_key(path: Path) -> bytes:
    if not path.exists():
        raise CryptoError("There is no backup public key; run `passage backup-key create`.")
    return read_key_file(path, label="backup public")


@dataclass(frozen=True)
class Frame:
    kind: str  # one letter
    data: bytes

    def json(self) -> Any:
        return json.loads(self.data)


class ArchiveWriter:
    """Write frames to ``handle``, sealed to ``public``; call ``close()`` to finish."""

    def __init__(self, handle: IO[bytes], public: bytes, *, meta: dict[str, Any]) -> None:
        self._handle = handle
        stream_key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        stream_header = sodium.crypto_secretstream_xchacha20poly1305_init_push(
            self._state, stream_key
        )
        header = {
            "format": FORMAT,
            "backup_key_id": backup_key_id(public),
            "sealed_key": base64.b64encode(
                SealedBox(PublicKey(public)).encrypt(stream_key)
            ).decode(),
            "stream_header": base64.b64encode(stream_header).decode(),
            **meta,
        }
        header_bytes = json.dumps(header, sort_keys=True).encode()
        self._ad = hashlib.sha256(MAGIC + header_bytes).digest()
        handle.write(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes)
        self._closed = False

    def _push(self, plain: bytes, tag: int) -> None:
        chunk = sodium.crypto_secretstream_xchacha20poly1305_push(self._state, plain, self._ad, tag)
        self._handle.write(struct.pack(">I", len(chunk)) + chunk)

    def write(self, kind: str, data: bytes) -> None:
        if len(kind) != 1:
            raise CryptoError("A frame kind is one letter.")
        self._push(kind.encode() + zlib.compress(data, 6), TAG_MESSAGE)

    def write_json(self, kind: str, value: Any) -> None:
        self.write(kind, json.dumps(value, sort_keys=True, separators=(",", ":")).encode())

    def close(self) -> None:
        if not self._closed:
            self._push(b"E" + zlib.compress(b""), TAG_FINAL)
            self._closed = True


def read_header(handle: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    if handle.read(len(MAGIC)) != MAGIC:
        raise ArchiveError("This is not a Passage backup archive.")
    raw = handle.read(4)
    if len(raw) != 4:
        raise ArchiveError("The backup archive is truncated.")
    (length,) = struct.unpack(">I", raw)
    if length > MAX_HEADER:
        raise ArchiveError("The backup archive's header is damaged.")
    header_bytes = handle.read(length)
    try:
        header = json.loads(header_bytes)
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError
    except ValueError:
        raise ArchiveError("The backup archive's header is damaged or of another format.") from None
    return header, header_bytes


def read_frames(handle: IO[bytes], private: PrivateKey) -> Iterator[Frame]:
    """The frames of an archive, each authenticated; ``ArchiveError`` on a wrong key, damage
    or truncation (raised at the point it is found: callers act only after the ``E`` frame)."""
    header, header_bytes = read_header(handle)
    if header.get("backup_key_id") != backup_key_id(bytes(private.public_key)):
        raise ArchiveError(
            "This backup was sealed to another backup key: this private key cannot open it."
        )
    try:
        stream_key = SealedBox(private).decrypt(base64.b64decode(header["sealed_key"]))
        stream_header = base64.b64decode(header["stream_header"])
    except (NaclCryptoError, KeyError, ValueError):
        raise ArchiveError("This backup's key cannot be opened with this private key.") from None
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, stream_header, stream_key)
    ad = hashlib.sha256(MAGIC + header_bytes).digest()
    while True:
        raw = handle.read(4)
        if len(raw) != 4:
            raise ArchiveError("The backup archive is truncated.")
        (length,) = struct.unpack(">I", raw)
        if length > MAX_CHUNK + ABYTES or length < ABYTES + 1:
            raise ArchiveError("The backup archive is damaged.")
        chunk = handle.read(length)
        if len(chunk) != length:
            raise ArchiveError("The backup archive is truncated.")
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk, ad)
        except (NaclCryptoError, RuntimeError, ValueError):
            raise ArchiveError("The backup archive is damaged or was altered.") from None
        kind = plain[:1].decode("ascii", errors="replace")
        try:
            data = zlib.decompress(plain[1:])
        except zlib.error:
            raise ArchiveError("The backup archive is damaged.") from None
        yield Frame(kind, data)
        if tag == TAG_FINAL:
            if kind != "E":
                raise ArchiveError("The backup archive is damaged.")
            if handle.read(1):
                raise ArchiveError("The backup archive has data after its end.")
            return


def open_for_writing(path: Path) -> IO[bytes]:
    """A new file, mode 0600, never overwriting an existing one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")
