"""crypto.codename: codenames drawn from the word lists, the mailbox look-up, the key pair derived
from the codename, sealing to it, and the session wrapping of its private half."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from passage.crypto import codename as codenames
from passage.crypto.exceptions import SealedBoxError
from passage.crypto.keyring import keyring
from passage.intake.words import wordlist

WORDS = wordlist("en")


def test_a_codename_is_six_words_of_the_list() -> None:
    codename = codenames.generate(WORDS)
    parts = codename.split(" ")
    assert len(parts) == codenames.CODENAME_WORDS == 6
    assert set(parts) <= set(WORDS)
    phrase = codenames.generate(WORDS, count=codenames.CONTACT_PHRASE_WORDS)
    assert len(phrase.split(" ")) == 3


def test_two_codenames_differ() -> None:
    # 77 bits each: a repeat among a handful would mean the generator is not random.
    drawn = {codenames.generate(WORDS) for _ in range(20)}
    assert len(drawn) == 20


def test_the_words_are_spread_over_the_whole_list() -> None:
    seen = {word for _ in range(300) for word in codenames.generate(WORDS).split(" ")}
    # 1,800 draws from 7,776 words: a generator stuck on a part of the list shows here.
    assert len(seen) > 1400
    positions = sorted(WORDS.index(word) for word in seen)
    assert positions[0] < 200
    assert positions[-1] > len(WORDS) - 200


@pytest.mark.parametrize(
    "words",
    [
        WORDS[:-1],
        (*WORDS, "extra"),
        (*WORDS[:-1], WORDS[0]),
        [],
    ],
    ids=["too-short", "too-long", "a-repeat", "empty"],
)
def test_generate_refuses_a_list_that_is_not_7776_distinct_words(words: list[str]) -> None:
    with pytest.raises(codenames.CodenameError, match="7,776 distinct"):
        codenames.generate(words)
    with pytest.raises(codenames.CodenameError, match="7,776 distinct"):
        codenames.WordList(words)


def test_the_shipped_lists_are_checked_once_when_loaded() -> None:
    # generate() trusts a WordList without re-checking it; wordlist() must hand out only those.
    assert isinstance(WORDS, codenames.WordList)
    assert isinstance(WORDS[:10], tuple) and not isinstance(WORDS[:10], codenames.WordList)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("  Apple   Banana\tCHERRY\n", "apple banana cherry"),
        ("ЁЛКА Мёд", "елка мед"),
        ("е\u0308лка", "елка"),  # noqa: RUF001 -- a decomposed yo folds like ё
        ("كتاب علي", "کتاب علی"),  # Arabic kaf and yeh as a Persian keyboard types them
        ("مكتبى", "مکتبی"),  # alef maksura
        ("كِتَابٌ", "کتاب"),  # harakat dropped
        ("كـتـاب", "کتاب"),  # tatweel dropped
        ("می\u200cخواهم", "می خواهم"),  # noqa: RUF001 -- ZWNJ as a space
        ("ﻛﺘﺎﺏ", "کتاب"),  # presentation forms (NFKC)
        ("ｆｕｌｌ ｗｉｄｔｈ", "full width"),  # noqa: RUF001
    ],
)
def test_normalise_folds_what_people_type_either_way(typed: str, canonical: str) -> None:
    assert codenames.normalise(typed) == canonical


def test_lookup_hash_depends_on_the_codename_not_on_how_it_was_typed() -> None:
    codename = "apple banana cherry delta echo foxtrot"
    digest = codenames.lookup_hash(codename)
    assert len(digest) == 32
    assert codenames.lookup_hash("  APPLE banana  Cherry delta echo foxtrot ") == digest
    assert codenames.lookup_hash("apple banana cherry delta echo foxtrox") != digest
    assert codenames.lookup_hash("banana apple cherry delta echo foxtrot") != digest
    # Not a bare hash of the words: the pepper and the "lookup" prefix go in.
    assert digest != hashlib.sha256(codename.encode()).digest()
    assert digest != hashlib.sha256(b"lookup" + codename.encode()).digest()


def test_lookup_hash_and_key_pair_depend_on_the_pepper(isolated_keys: Path) -> None:
    codename = codenames.generate(WORDS)
    before = codenames.lookup_hash(codename)
    key_before = codenames.derive_private_key(codename)
    (isolated_keys / "codename-pepper.key").write_bytes(base64.b64encode(os.urandom(32)))
    keyring.reload()
    assert codenames.lookup_hash(codename) != before
    assert codenames.derive_private_key(codename) != key_before


@pytest.mark.parametrize("codename", ["", "   ", "\u200c", "word " * 100])
def test_empty_or_oversized_codenames_are_refused(codename: str) -> None:
    with pytest.raises(codenames.CodenameError):
        codenames.lookup_hash(codename)
    with pytest.raises(codenames.CodenameError):
        codenames.derive_private_key(codename)


def test_the_key_pair_is_derived_deterministically() -> None:
    codename = codenames.generate(WORDS)
    private = codenames.derive_private_key(codename)
    assert len(private) == 32
    assert codenames.derive_private_key(codename.upper()) == private
    assert codenames.derive_private_key(codenames.generate(WORDS)) != private
    # Not the look-up hash: knowing where a mailbox is must not give its key.
    assert private != codenames.lookup_hash(codename)
    public = codenames.public_key_of(private)
    assert len(public) == 32
    assert public != private
    assert codenames.public_key_of(codenames.derive_private_key(codename)) == public


def test_what_is_sealed_to_the_mailbox_opens_only_with_its_key() -> None:
    mine = codenames.derive_private_key(codenames.generate(WORDS))
    theirs = codenames.derive_private_key(codenames.generate(WORDS))
    box = codenames.seal_to(codenames.public_key_of(mine), "Привет, мы вас слышим".encode())
    assert "Привет".encode() not in box
    assert codenames.open_with(mine, box).decode() == "Привет, мы вас слышим"
    with pytest.raises(SealedBoxError, match="another key"):
        codenames.open_with(theirs, box)
    altered = box[:-1] + bytes([box[-1] ^ 1])
    with pytest.raises(SealedBoxError):
        codenames.open_with(mine, altered)
    # Sealed boxes are randomised: the same text twice gives two different boxes.
    assert codenames.seal_to(codenames.public_key_of(mine), b"x") != codenames.seal_to(
        codenames.public_key_of(mine), b"x"
    )


def test_the_session_wrapping_opens_only_with_its_token() -> None:
    private = codenames.derive_private_key(codenames.generate(WORDS))
    wrapped = codenames.wrap_for_session(private, "token-one")
    assert private not in wrapped
    assert codenames.unwrap_for_session(wrapped, "token-one") == private
    with pytest.raises(SealedBoxError, match="does not match"):
        codenames.unwrap_for_session(wrapped, "token-two")
    with pytest.raises(SealedBoxError):
        codenames.unwrap_for_session(wrapped[:-1] + bytes([wrapped[-1] ^ 1]), "token-one")
    with pytest.raises(SealedBoxError):
        codenames.unwrap_for_session(b"short", "token-one")
    assert codenames.wrap_for_session(private, "token-one") != wrapped
