"""Shared fixtures.

``scratch_install`` is a whole, separate installation (its own database and data directory,
migrated by the real ``passage`` command) for tests that need committed data: dumps of the
database file, the audit trigger, concurrent writers. It is dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytest_plugins = ["tests.personas"]

PASSAGE = [sys.executable, "-m", "passage"]
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ScratchInstall:
    """A throwaway installation driven through the ``passage`` command in subprocesses."""

    data_dir: Path
    database_url: str
    env: dict[str, str]

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgres")

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "passage.sqlite3"

    def run(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run ``passage ARGS`` against this installation."""
        result = subprocess.run(
            [*PASSAGE, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"passage {' '.join(args)} exited {result.returncode}\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def python(
        self, code: str, *, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run Python code with Django set up for this installation (``passage shell -c``)."""
        return self.run("shell", "-c", code, check=check, timeout=timeout)


def _postgres_server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def _psql_admin(server_url: str, sql: str) -> None:
    parts = urlsplit(server_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(
        ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, capture_output=True
    )


@pytest.fixture
def scratch_install(tmp_path: Path) -> Iterator[ScratchInstall]:
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PASSAGE_", "DJANGO_"))}
    env["PASSAGE_DATA_DIR"] = str(data_dir)
    env["PASSAGE_REDIS_PREFIX"] = f"passage-scratch-{secrets.token_hex(6)}"
    env["DJANGO_SETTINGS_MODULE"] = "tests.scratch_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")])
    server_url = _postgres_server_url()
    db_name = None
    if server_url:
        db_name = f"passage_scratch_{secrets.token_hex(6)}"
        _psql_admin(server_url, f'CREATE DATABASE "{db_name}"')
        database_url = urlunsplit(urlsplit(server_url)._replace(path=f"/{db_name}"))
        env["DATABASE_URL"] = database_url
    else:
        database_url = f"sqlite:///{data_dir / 'passage.sqlite3'}"
        env.pop("DATABASE_URL", None)
    install = ScratchInstall(data_dir=data_dir, database_url=database_url, env=env)
    install.run("keys", "init")
    install.run("migrate", "--no-input", "--run-syncdb", "-v", "0")
    try:
        yield install
    finally:
        if server_url and db_name:
            _psql_admin(server_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def memstore() -> Iterator[None]:
    """The real Redis, with this process's keys emptied before and after the test."""
    from passage.core import memstore as store

    def empty() -> None:
        redis_client = store.client()
        for name in redis_client.scan_iter(match=store.key("*"), count=500):
            redis_client.delete(name)

    empty()
    yield
    empty()


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """Each test starts in English: a request in another language leaves that language active
    in the thread (LocaleMiddleware), which would leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
