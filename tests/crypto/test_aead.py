import os
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passage.crypto import aead
from passage.crypto.exceptions import DecryptionFailed, MalformedCiphertext

KEY = os.urandom(32)
KID = uuid.uuid4()


@given(plaintext=st.binary(max_size=4096), column=st.text(min_size=1, max_size=20))
def test_round_trip(plaintext: bytes, column: str) -> None:
    aad = aead.associated_data("t", column, KID)
    ct = aead.encrypt(KEY, KID, plaintext, aad)
    assert aead.key_id_of(ct) == KID
    assert aead.decrypt(KEY, ct, aad) == plaintext
    if len(plaintext) >= 8:
        assert plaintext not in ct


@given(plaintext=st.binary(min_size=1, max_size=512), data=st.data())
def test_any_flipped_bit_is_refused(plaintext: bytes, data: st.DataObject) -> None:
    aad = aead.associated_data("t", "c", KID)
    ct = bytearray(aead.encrypt(KEY, KID, plaintext, aad))
    index = data.draw(st.integers(min_value=0, max_value=len(ct) - 1))
    bit = data.draw(st.integers(min_value=0, max_value=7))
    ct[index] ^= 1 << bit
    with pytest.raises(DecryptionFailed):
        aead.decrypt(KEY, bytes(ct), aad)


@given(plaintext=st.binary(max_size=256))
def test_wrong_key_and_wrong_place_are_refused(plaintext: bytes) -> None:
    row = uuid.uuid4()
    ct = aead.encrypt(KEY, KID, plaintext, aead.associated_data("t", "c", row))
    with pytest.raises(DecryptionFailed):
        aead.decrypt(os.urandom(32), ct, aead.associated_data("t", "c", row))
    with pytest.raises(DecryptionFailed):
        aead.decrypt(KEY, ct, aead.associated_data("t", "c", uuid.uuid4()))
    with pytest.raises(DecryptionFailed):
        aead.decrypt(KEY, ct, aead.associated_data("t", "other", row))
    with pytest.raises(DecryptionFailed):
        aead.decrypt(KEY, ct, aead.associated_data("other", "c", row))


def test_nonces_differ_between_encryptions() -> None:
    aad = aead.associated_data("t", "c", KID)
    assert aead.encrypt(KEY, KID, b"same", aad) != aead.encrypt(KEY, KID, b"same", aad)


def test_garbage_is_malformed() -> None:
    with pytest.raises(MalformedCiphertext):
        aead.decrypt(KEY, b"\x02" + b"x" * 60, b"")
    with pytest.raises(MalformedCiphertext):
        aead.key_id_of(b"\x01short")
