from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from passage.crypto import sealed
from passage.crypto.exceptions import KeyFileError, MalformedCiphertext, SealedBoxError
from passage.crypto.keyfiles import create_intake_key_pair
from passage.crypto.keyring import keyring


@given(st.binary(max_size=2048))
@hsettings(max_examples=30)
def test_round_trip(data: bytes) -> None:
    assert sealed.open_sealed(sealed.seal(data)) == data


def test_tampering_is_detected() -> None:
    box = bytearray(sealed.seal(b"help request"))
    box[-1] ^= 1
    with pytest.raises(SealedBoxError):
        sealed.open_sealed(bytes(box))
    with pytest.raises(MalformedCiphertext):
        sealed.open_sealed(b"\x01")


def test_rotation_keeps_older_boxes_openable(isolated_keys: Path) -> None:
    old_box = sealed.seal(b"sealed to the first pair")
    old_id = sealed.key_id_of(old_box)
    new_id = create_intake_key_pair(isolated_keys / "intake")
    keyring.reload()
    new_box = sealed.seal(b"sealed to the second pair")
    assert sealed.key_id_of(new_box) == new_id != old_id
    assert sealed.open_sealed(old_box) == b"sealed to the first pair"
    assert sealed.open_sealed(new_box) == b"sealed to the second pair"
    # Destroying the old private key makes the old boxes unopenable, and only those.
    (isolated_keys / "intake" / f"{old_id}.secret").unlink()
    (isolated_keys / "intake" / f"{old_id}.public").unlink()
    keyring.reload()
    with pytest.raises(SealedBoxError):
        sealed.open_sealed(old_box)
    assert sealed.open_sealed(new_box) == b"sealed to the second pair"


def test_intake_role_can_seal_but_not_open(isolated_keys: Path, settings: Any) -> None:
    settings.PASSAGE_ROLE = "intake"
    keyring.reload()
    try:
        box = sealed.seal(b"from the public tier")
        with pytest.raises(SealedBoxError):
            sealed.open_sealed(box)
        with pytest.raises(KeyFileError):
            keyring.wrapping_key()
        with pytest.raises(KeyFileError):
            keyring.blind_root()
    finally:
        settings.PASSAGE_ROLE = "all"
        keyring.reload()
    assert sealed.open_sealed(box) == b"from the public tier"
