"""Sealed boxes for the intake tier: anyone with the public key can seal, only we can open.

Layout: ``0x01 | len(key id) | key id (ASCII) | libsodium sealed box``. The key id says which
intake key pair opens it, so pairs can be rotated while older requests stay openable.
"""

from __future__ import annotations

from nacl.exceptions import CryptoError as NaclCryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from passage.crypto.exceptions import KeyFileError, MalformedCiphertext, SealedBoxError
from passage.crypto.keyring import keyring

VERSION = 1


def current_intake_key_id() -> str:
    pairs = keyring.intake_pairs()
    if not pairs:
        raise KeyFileError("No intake key pair exists; run `passage keys init`.")
    return pairs[-1].key_id


def seal(plaintext: bytes) -> bytes:
    """Seal ``plaintext`` to the newest intake public key."""
    pairs = keyring.intake_pairs()
    if not pairs:
        raise KeyFileError("No intake key pair exists; run `passage keys init`.")
    pair = pairs[-1]
    key_id = pair.key_id.encode("ascii")
    box = SealedBox(PublicKey(pair.public)).encrypt(plaintext)
    return bytes([VERSION, len(key_id)]) + key_id + box


def key_id_of(sealed: bytes) -> str:
    if len(sealed) < 3 or sealed[0] != VERSION or len(sealed) < 2 + sealed[1] + 48:
        raise MalformedCiphertext("Not a Passage sealed box.")
    return sealed[2 : 2 + sealed[1]].decode("ascii", errors="replace")


def open_sealed(sealed: bytes) -> bytes:
    """Open a sealed box with the private half of the intake key it names."""
    key_id = key_id_of(sealed)
    for pair in keyring.intake_pairs():
        if pair.key_id == key_id:
            if pair.private is None:
                raise SealedBoxError("This tier holds no private intake key.")
            try:
                return SealedBox(PrivateKey(pair.private)).decrypt(sealed[2 + sealed[1] :])
            except NaclCryptoError:
                raise SealedBoxError(
                    "The sealed box was altered or sealed to another key."
                ) from None
    raise SealedBoxError(f"Intake key {key_id} is not held here (destroyed or never created).")


def reseal(box: bytes) -> bytes:
    """Open ``box`` with the key it names and seal its content to the newest intake key.

    Before an old intake private key is destroyed, what is still needed under it moves to the
    newest pair; the plaintext exists only in memory, for the moment between."""
    if key_id_of(box) == current_intake_key_id():
        return bytes(box)
    return seal(open_sealed(box))
