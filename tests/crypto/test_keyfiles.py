import stat
from pathlib import Path

import pytest

from passage.crypto.exceptions import KeyFileError
from passage.crypto.keyfiles import init_key_files, read_intake_key_pairs, read_key_file


def _init(root: Path) -> list[str]:
    return init_key_files(
        master=root / "master.key",
        blind_index=root / "blind-index.key",
        codename_pepper=root / "pepper.key",
        intake_dir=root / "intake",
        django_secret=root / "secret.key",
    )


def test_init_creates_private_files_once(tmp_path: Path) -> None:
    root = tmp_path / "keys"
    created = _init(root)
    assert len(created) == 5
    master = (root / "master.key").read_bytes()
    for path in [*root.iterdir(), *(root / "intake").iterdir()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path.name
    assert _init(root) == []
    assert (root / "master.key").read_bytes() == master
    assert len(read_intake_key_pairs(root / "intake")) == 1


def test_malformed_key_files_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("not base64 at all!")
    with pytest.raises(KeyFileError, match="not valid base64"):
        read_key_file(bad, label="master")
    bad.write_text("c2hvcnQ=")
    with pytest.raises(KeyFileError, match="32-byte"):
        read_key_file(bad, label="master")
    with pytest.raises(KeyFileError, match="missing"):
        read_key_file(tmp_path / "nope.key", label="master")
