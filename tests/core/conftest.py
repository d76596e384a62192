"""Fixtures for the core tests: installations that are not (yet) set up."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from passage.crypto.keyfiles import init_key_files
from tests.conftest import ScratchInstall, _postgres_server_url, _psql_admin


def base_env(data_dir: Path) -> dict[str, str]:
    """The environment of a separate installation in ``data_dir`` (no PASSAGE_* inherited)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PASSAGE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env["PASSAGE_DATA_DIR"] = str(data_dir)
    # Its own keys in the shared Redis: no counter or session of another installation.
    env["PASSAGE_REDIS_PREFIX"] = f"passage-install-{secrets.token_hex(6)}"
    env["DJANGO_SETTINGS_MODULE"] = "passage.settings"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(settings.BASE_DIR).parent), os.environ.get("PYTHONPATH", "")]
    )
    return env


@pytest.fixture
def fresh_install(tmp_path: Path) -> Iterator[ScratchInstall]:
    """An installation nobody has set up: no keys, empty database (PostgreSQL) or none (SQLite)."""
    data_dir = tmp_path / "fresh"
    env = base_env(data_dir)
    server_url = _postgres_server_url()
    db_name = None
    if server_url:
        db_name = f"passage_fresh_{secrets.token_hex(6)}"
        _psql_admin(server_url, f'CREATE DATABASE "{db_name}"')
        database_url = urlunsplit(urlsplit(server_url)._replace(path=f"/{db_name}"))
        env["DATABASE_URL"] = database_url
    else:
        database_url = f"sqlite:///{data_dir / 'passage.sqlite3'}"
    try:
        yield ScratchInstall(data_dir=data_dir, database_url=database_url, env=env)
    finally:
        if server_url and db_name:
            _psql_admin(server_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def keyed_env(tmp_path: Path) -> dict[str, str]:
    """Environment of an installation with keys but no database work done: for pointing
    DATABASE_URL at servers that are not there."""
    data_dir = tmp_path / "keyed"
    keys = data_dir / "keys"
    init_key_files(
        master=keys / "master.key",
        blind_index=keys / "blind-index.key",
        codename_pepper=keys / "codename-pepper.key",
        intake_dir=keys / "intake",
        django_secret=keys / "django-secret.key",
    )
    return base_env(data_dir)
