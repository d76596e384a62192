"""The encrypted envelope of a full export: readable only with the recipient's private key.

No Django import: the recipient opens a file with PyNaCl alone (``python -m
passage.exports.envelope decrypt FILE --key PRIVATE``, or the snippet in docs/exports.md).

Layout (all lengths in bytes, integers big-endian)::

    magic        8   b"PSGEXP1\\n"
    sealed key  80   libsodium sealed box (X25519, crypto_box_seal) of a random 32-byte file key,
                     sealed to the recipient's public key
    header      24   crypto_secretstream_xchacha20poly1305 header
    chunks           repeated: length (4) + secretstream ciphertext of at most 64 KiB of
                     plaintext (+17 bytes); every chunk's associated data is the magic; the last
                     chunk carries TAG_FINAL, so a truncated or reordered file does not open

The plaintext is the export itself (UTF-8 CSV). The file key exists only in memory while the
envelope is made; the server keeps the envelope only (and encrypts even that at rest).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import struct
import sys
from pathlib import Path

from nacl import bindings as sodium
from nacl.exceptions import CryptoError as NaclCryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

MAGIC = b"PSGEXP1\n"
KEY_BYTES = 32
SEALED_KEY_BYTES = KEY_BYTES + 48  # ephemeral public key (32) + MAC (16)
HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
CHUNK = 64 * 1024
ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL


class EnvelopeError(Exception):
    """The key or the file is not what it should be (the message says which, nothing more)."""


def parse_key(text: str) -> bytes:
    """A 32-byte X25519 key given in base64 (standard or URL-safe, padding optional)."""
    cleaned = "".join(text.split())
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        raw = base64.b64decode(cleaned.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeError("The key is not base64.") from None
    if len(raw) != KEY_BYTES:
        raise EnvelopeError("The key is not a 32-byte X25519 key in base64.")
    return raw


def key_pair() -> tuple[str, str]:
    """A new (public, private) X25519 key pair, each in base64: for the recipient to make."""
    private = PrivateKey.generate()
    return (
        base64.b64encode(bytes(private.public_key)).decode("ascii"),
        base64.b64encode(bytes(private)).decode("ascii"),
    )


def seal(plaintext: bytes, public_key: bytes) -> bytes:
    """The envelope of ``plaintext`` for the holder of the private half of ``public_key``."""
    file_key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
    sealed_key = SealedBox(PublicKey(public_key)).encrypt(file_key)
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, file_key)
    parts = [MAGIC, sealed_key, header]
    offsets = list(range(0, len(plaintext), CHUNK)) or [0]
    for index, start in enumerate(offsets):
        last = index == len(offsets) - 1
        piece = sodium.crypto_secretstream_xchacha20poly1305_push(
            state,
            plaintext[start : start + CHUNK],
            MAGIC,
            TAG_FINAL if last else TAG_MESSAGE,
        )
        parts.append(struct.pack(">I", len(piece)))
        parts.append(piece)
    return b"".join(parts)


def open_envelope(envelope: bytes, private_key: bytes) -> bytes:
    """The plaintext of ``envelope``, or ``EnvelopeError`` (wrong key, altered or cut file)."""
    if not envelope.startswith(MAGIC) or len(envelope) < len(MAGIC) + SEALED_KEY_BYTES + 24:
        raise EnvelopeError("This is not a Passage export file.")
    at = len(MAGIC)
    sealed_key = envelope[at : at + SEALED_KEY_BYTES]
    at += SEALED_KEY_BYTES
    header = envelope[at : at + HEADER_BYTES]
    at += HEADER_BYTES
    try:
        file_key = SealedBox(PrivateKey(private_key)).decrypt(sealed_key)
    except NaclCryptoError:
        raise EnvelopeError("This key does not open this export file.") from None
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, file_key)
    out: list[bytes] = []
    final = False
    while at < len(envelope):
        if final or len(envelope) < at + 4:
            raise EnvelopeError("The export file was altered.")
        (length,) = struct.unpack(">I", envelope[at : at + 4])
        at += 4
        piece = envelope[at : at + length]
        if len(piece) != length or length < ABYTES:
            raise EnvelopeError("The export file is cut short.")
        at += length
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, piece, MAGIC)
        except NaclCryptoError:
            raise EnvelopeError("The export file was altered.") from None
        out.append(plain)
        final = tag == TAG_FINAL
    if not final:
        raise EnvelopeError("The export file is cut short.")
    return b"".join(out)


def main(argv: list[str] | None = None) -> int:
    """``decrypt FILE --key PRIVATE [--out PATH]`` and ``keypair``, for the recipient."""
    parser = argparse.ArgumentParser(prog="python -m passage.exports.envelope")
    commands = parser.add_subparsers(dest="command", required=True)
    decrypt = commands.add_parser("decrypt", help="open an export file")
    decrypt.add_argument("file", type=Path)
    decrypt.add_argument("--key", required=True, help="the private key (base64) or @FILE")
    decrypt.add_argument("--out", type=Path, help="where to write the CSV (default: stdout)")
    commands.add_parser("keypair", help="make a key pair (give the public half to the sender)")
    args = parser.parse_args(argv)
    if args.command == "keypair":
        public, private = key_pair()
        sys.stdout.write(f"public:  {public}\nprivate: {private}\n")
        return 0
    key_text = str(args.key)
    if key_text.startswith("@"):
        key_text = Path(key_text[1:]).read_text(encoding="ascii")
    try:
        plain = open_envelope(args.file.read_bytes(), parse_key(key_text))
    except EnvelopeError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    if args.out:
        args.out.write_bytes(plain)
    else:
        sys.stdout.buffer.write(plain)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
