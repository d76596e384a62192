"""Fixtures of the lockdown tests: a second admin, a lockdown in force, a private key directory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from passage.accounts.models import Lockdown, User
from passage.accounts.roles import Role
from passage.accounts.services import lockdown as services
from passage.crypto import datakeys
from passage.crypto.keyring import keyring
from tests.personas import make_staff


@pytest.fixture
def second_admin(db: None) -> User:
    return make_staff("admin2", Role.ADMIN)


@pytest.fixture
def in_force(admin: User, second_admin: User) -> Lockdown:
    lockdown = services.lockdown_propose(actor=admin)
    services.lockdown_confirm(lockdown=lockdown, actor=second_admin)
    return lockdown


@pytest.fixture
def isolated_keys(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A private copy of the key directory: destroying it leaves the other tests' keys alone."""
    target = tmp_path / "keys"
    shutil.copytree(Path(settings.KEYS_DIR), target)
    settings.KEYS_DIR = target
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
