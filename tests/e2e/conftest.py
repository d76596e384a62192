"""Browser fixtures: a real installation served by `passage serve`, and Debian's Chromium.

Why not pytest-django's ``live_server``: it needs a transactional test database, which Django
empties after each test with DELETE (SQLite) or TRUNCATE (PostgreSQL), and the audit log's
append-only trigger rightly refuses both (DESIGN, known pitfalls: never relax the trigger for
tests). A separate installation (its own database, dropped afterwards) served by the production
command also tests what production runs: gunicorn, our own /static/ view, hashed file names.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from passage.accounts import totp
from tests.conftest import _postgres_server_url, _psql_admin
from tests.core.conftest import base_env
from tests.core.support import passage_serve, run_passage

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

STAFF_USERNAME = "e2e-caseworker"
STAFF_PASSPHRASE = "lantern-quiet-harbour-seven"
# The caseworker's authenticator secret (base32), known to the tests so they can compute codes.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class Authenticator:
    """Like the app on a phone: the code now, but never one the server has already accepted
    (a code is used once), waiting for the next time step when it must."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.last_step = -1

    def next_code(self) -> str:
        # The current step, not the previous one: a code typed as the 30 s window turns is then
        # still within the server's tolerance of one step (the previous one would fall out).
        step = max(totp.current_step(), self.last_step + 1)
        while step > totp.current_step() + 1:  # beyond the server's tolerance: wait
            time.sleep(1)
        self.last_step = step
        return totp.code_at(self.secret, step)


@dataclass
class Site:
    base_url: str
    username: str
    passphrase: str
    env: dict[str, str] = field(default_factory=dict)
    authenticator: Authenticator = field(default_factory=lambda: Authenticator(STAFF_TOTP_SECRET))

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"


@contextlib.contextmanager
def serve_site(
    tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str] | None = None
) -> Iterator[Site]:
    """`passage setup` then `passage serve` on a free port; ``extra_env`` (settings such as
    PASSAGE_QUICK_EXIT_URL) is in the environment of both."""
    data_dir = tmp_path_factory.mktemp("e2e") / "data"
    env = {**base_env(data_dir), **(extra_env or {})}
    server_url = _postgres_server_url()
    db_name = None
    if server_url:
        db_name = f"passage_e2e_{secrets.token_hex(6)}"
        _psql_admin(server_url, f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(server_url)._replace(path=f"/{db_name}"))
    try:
        setup = run_passage(env, "setup")
        assert setup.returncode == 0, setup.stderr
        created = run_passage(
            env,
            "shell",
            "-c",
            "from passage.accounts.models import RoleGrant, TotpDevice, User\n"
            f"u = User(username={STAFF_USERNAME!r})\n"
            f"u.set_password({STAFF_PASSPHRASE!r})\n"
            "u.save()\n"
            "RoleGrant.objects.create(user=u, role='caseworker')\n"
            f"TotpDevice(user=u, secret={STAFF_TOTP_SECRET!r}, confirmed=True).save()\n",
        )
        assert created.returncode == 0, created.stderr
        with passage_serve(env, data_dir.parent / "logs") as server:
            yield Site(server.base_url, STAFF_USERNAME, STAFF_PASSPHRASE, env=env)
    finally:
        if server_url and db_name:
            _psql_admin(server_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`passage setup` then `passage serve` on a free port, for the tests of one module."""
    with serve_site(tmp_path_factory) as served:
        yield served


def _chromium_path() -> str:
    path = os.environ.get("PASSAGE_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        message = f"Chromium is not installed at {path} (Debian: apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # Debian's Chromium, never a downloaded one (`playwright install` is not used).
    chromium = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to (load|apply|execute|connect)")
