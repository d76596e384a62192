from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from passage.crypto import datakeys
from passage.crypto.keyring import keyring


@pytest.fixture
def isolated_keys(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A private copy of the key directory, so a rotation in one test leaves others alone."""
    target = tmp_path / "keys"
    shutil.copytree(Path(settings.KEYS_DIR), target)
    settings.PASSAGE_KEYS = {
        "master": target / "master.key",
        "blind_index": target / "blind-index.key",
        "codename_pepper": target / "codename-pepper.key",
        "intake_dir": target / "intake",
    }
    keyring.reload()
    datakeys.cache.clear()
    yield target
    keyring.reload()
    datakeys.cache.clear()


@pytest.fixture(autouse=True)
def blob_dir(tmp_path: Path, settings: Any) -> Path:
    settings.BLOB_DIR = tmp_path / "blobs"
    path: Path = settings.BLOB_DIR
    return path
