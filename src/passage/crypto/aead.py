"""AES-256-GCM with a self-describing header, bound to where the ciphertext belongs.

Layout (version 1)::

    0x01 | key id (16 bytes, the data key's UUID) | nonce (12 bytes) | ciphertext || tag (16 bytes)

The associated data names table, column and row UUID, so a ciphertext copied into another row
or column fails authentication instead of decrypting there.
"""

from __future__ import annotations

import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from passage.crypto.exceptions import DecryptionFailed, MalformedCiphertext

VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = 1 + 16 + NONCE_BYTES


def associated_data(table: str, column: str, row_id: uuid.UUID | str) -> bytes:
    """The binding of a field ciphertext to its place."""
    return f"passage/v1|{table}|{column}|{row_id}".encode()


def encrypt(key: bytes, key_id: uuid.UUID, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    header = bytes([VERSION]) + key_id.bytes + nonce
    return header + AESGCM(key).encrypt(nonce, plaintext, header + aad)


def key_id_of(ciphertext: bytes) -> uuid.UUID:
    """The id of the data key that sealed ``ciphertext`` (readable without any key)."""
    if len(ciphertext) < HEADER_BYTES + TAG_BYTES or ciphertext[0] != VERSION:
        raise MalformedCiphertext("Not a Passage ciphertext (unknown version or too short).")
    return uuid.UUID(bytes=bytes(ciphertext[1:17]))


def decrypt(key: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    key_id_of(ciphertext)  # validates the header
    header = bytes(ciphertext[:HEADER_BYTES])
    nonce = header[17:]
    try:
        return AESGCM(key).decrypt(nonce, bytes(ciphertext[HEADER_BYTES:]), header + aad)
    except InvalidTag:
        raise DecryptionFailed(
            "Decryption failed: wrong key, altered data, or data moved from another record."
        ) from None
