"""Codenames: the requester's only key to their mailbox (the SecureDrop model).

- A codename is ``CODENAME_WORDS`` words drawn with the OS CSPRNG from a list of 7,776 words in
  the person's own language (about 77.5 bits). It is shown once and stored nowhere.
- The mailbox is found by ``HMAC(pepper, "lookup" + codename)``; the pepper lives in a key file,
  not in the database, so a stolen database alone cannot be searched for codenames.
- An X25519 key pair is derived from the codename with HKDF (salted with the pepper). Only the
  public half is stored: staff replies are sealed to it. The private half exists only while the
  person is signed in, in the memory store (never the database).

No slow hash: six words from 7,776 with the pepper off the database and rate-limited sign-in
leave brute force hopeless, and a slow hash would cap intake during a surge (issue 6 measures it).
"""

from __future__ import annotations

import hmac
import os
import secrets
import unicodedata
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from nacl.exceptions import CryptoError as NaclCryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from passage.crypto.exceptions import CryptoError, SealedBoxError
from passage.crypto.keyring import keyring

CODENAME_WORDS = 6
CONTACT_PHRASE_WORDS = 3
LIST_SIZE = 7776

# Arabic diacritics (harakat), the tatweel, and the letters people type either way on Arabic
# and Persian keyboards: folded so a codename typed on either keyboard opens the same mailbox.
_FOLD = str.maketrans(
    {
        "\u0451": "\u0435",  # yo -> ye (Russian lists fold it the same way)
        "ـ": None,
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        **{chr(c): None for c in range(0x064B, 0x0660)},
        "\u0670": None,
        "\u200c": " ",  # zero-width non-joiner: Persian keyboards insert it between parts
    }
)


class CodenameError(CryptoError):
    """A codename that cannot be used (wrong word count, empty)."""


def normalise(codename: str) -> str:
    """The canonical form: NFKC, case-folded, Arabic/Persian variants folded, single spaces."""
    text = unicodedata.normalize("NFKC", codename).casefold().translate(_FOLD)
    return " ".join(text.split())


class WordList(tuple[str, ...]):
    """A word list checked once, when it is built: exactly 7,776 distinct words.

    Checking on every ``generate`` call rebuilt a 7,776-word set twice per help request, a
    measurable share of a submission under a surge (bench/intake.py).
    """

    __slots__ = ()

    def __new__(cls, words: Iterable[str]) -> WordList:
        items = tuple(words)
        if len(items) != LIST_SIZE or len(set(items)) != LIST_SIZE:
            raise CodenameError("A codename word list must hold 7,776 distinct words.")
        return super().__new__(cls, items)


def generate(words: Sequence[str], *, count: int = CODENAME_WORDS) -> str:
    """``count`` words chosen with ``secrets`` from ``words`` (a reviewed list of 7,776).

    Pass a ``WordList`` (checked once); any other sequence is checked here, on every call.
    """
    checked = words if isinstance(words, WordList) else WordList(words)
    return " ".join(secrets.choice(checked) for _ in range(count))


def _checked(codename: str) -> bytes:
    text = normalise(codename)
    if not text or len(text) > 400:
        raise CodenameError("Empty or oversized codename.")
    return text.encode("utf-8")


def lookup_hash(codename: str) -> bytes:
    """How the mailbox is found: HMAC-SHA256(pepper, "lookup" + codename)."""
    return hmac.new(keyring.codename_pepper(), b"lookup" + _checked(codename), "sha256").digest()


def derive_private_key(codename: str) -> bytes:
    """The mailbox's X25519 private key, derived from the codename (HKDF, pepper as salt)."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=keyring.codename_pepper(),
        info=b"passage/v1/mailbox-x25519",
    ).derive(_checked(codename))


def public_key_of(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


def seal_to(public_key: bytes, plaintext: bytes) -> bytes:
    """Seal for the mailbox holder: only the codename's private half opens it."""
    return bytes(SealedBox(PublicKey(public_key)).encrypt(plaintext))


def open_with(private_key: bytes, sealed: bytes) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(private_key)).decrypt(sealed))
    except NaclCryptoError:
        raise SealedBoxError("The mailbox item was altered or sealed to another key.") from None


def _session_cipher(token: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"passage/v1/mailbox-session"
    ).derive(token.encode("ascii"))
    return AESGCM(key)


def wrap_for_session(private_key: bytes, token: str) -> bytes:
    """The private key as the memory store keeps it: useless without the session cookie."""
    nonce = os.urandom(12)
    return nonce + _session_cipher(token).encrypt(nonce, private_key, b"mailbox-session")


def unwrap_for_session(wrapped: bytes, token: str) -> bytes:
    try:
        return _session_cipher(token).decrypt(wrapped[:12], wrapped[12:], b"mailbox-session")
    except (InvalidTag, ValueError):
        raise SealedBoxError("The mailbox session does not match its cookie.") from None
