"""Fixtures for the retention tests: private keys and blob store, staff, requests and cases made
through the real intake and cases services."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from passage.crypto import datakeys
from passage.crypto.keyring import keyring
from tests.cases.conftest import open_case  # noqa: F401 -- a fixture, used by the tests


@pytest.fixture(autouse=True)
def isolated_keys(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A private copy of the key directory (retention rotates and destroys intake keys), a
    private blob store and shred ledger file."""
    target = tmp_path / "keys"
    shutil.copytree(Path(settings.KEYS_DIR), target)
    settings.PASSAGE_KEYS = {
        "master": target / "master.key",
        "blind_index": target / "blind-index.key",
        "codename_pepper": target / "codename-pepper.key",
        "intake_dir": target / "intake",
    }
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.PASSAGE_SHRED_LEDGER = tmp_path / "shred-ledger.jsonl"
    keyring.reload()
    datakeys.cache.clear()
    yield target
    keyring.reload()
    datakeys.cache.clear()


@pytest.fixture
def make_case(open_case: Callable[..., Any]) -> Callable[..., Any]:  # noqa: F811
    return open_case
