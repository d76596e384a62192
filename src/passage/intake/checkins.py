"""Check-in words, padded to a fixed size and sealed to the intake public key.

The intake tier seals whatever word was typed; only the console tier (passage.safety) opens it.
Padding makes every sealed word the same size, so the check-in word, the duress word and a
wrong word leave rows that cannot be told apart by their length.
"""

from __future__ import annotations

import struct
import unicodedata

from passage.crypto import sealed

# Bytes of UTF-8 a word may take once padded (a 40-character word in Persian or Russian takes
# at most 160); the form refuses longer words before anything is sealed.
WORD_BYTES = 192
MAX_WORD_CHARS = 40
MIN_WORD_CHARS = 3
_MAGIC_WORD = b"W1"
_MAGIC_WORDS = b"P1"


class WordTooLong(ValueError):
    """The word does not fit the fixed padded size."""


def normalise(word: str) -> str:
    """How words are compared: NFKC, case-folded, inner spaces collapsed, ends stripped."""
    return " ".join(unicodedata.normalize("NFKC", word).casefold().split())


def _pad(word: str) -> bytes:
    data = normalise(word).encode("utf-8")
    if len(data) > WORD_BYTES:
        raise WordTooLong("word too long")
    return struct.pack(">H", len(data)) + data + b"\0" * (WORD_BYTES - len(data))


def _unpad(block: bytes) -> str:
    (length,) = struct.unpack(">H", block[:2])
    if length > WORD_BYTES:
        raise ValueError("malformed padded word")
    return block[2 : 2 + length].decode("utf-8")


def seal_word(word: str) -> tuple[bytes, str]:
    """A typed check-in word, sealed; returns the sealed bytes and the intake key id."""
    box = sealed.seal(_MAGIC_WORD + _pad(word))
    return box, sealed.key_id_of(box)


def seal_words(checkin_word: str, duress_word: str) -> tuple[bytes, str]:
    """The person's two words, sealed together."""
    box = sealed.seal(_MAGIC_WORDS + _pad(checkin_word) + _pad(duress_word))
    return box, sealed.key_id_of(box)


def open_word(box: bytes) -> str:
    """Console tier only: the word a check-in row carries (normalised)."""
    plain = sealed.open_sealed(bytes(box))
    if plain[:2] != _MAGIC_WORD or len(plain) != 2 + 2 + WORD_BYTES:
        raise ValueError("not a sealed check-in word")
    return _unpad(plain[2:])


def open_words(box: bytes) -> tuple[str, str]:
    """Console tier only: the (check-in word, duress word) a words row carries (normalised)."""
    plain = sealed.open_sealed(bytes(box))
    size = 2 + WORD_BYTES
    if plain[:2] != _MAGIC_WORDS or len(plain) != 2 + 2 * size:
        raise ValueError("not sealed check-in words")
    return _unpad(plain[2 : 2 + size]), _unpad(plain[2 + size :])
