"""DESIGN invariant 2, in the database: the intake tier's role can add requests and use
mailboxes, and nothing else (docs/intake-database-role.sql, docs/deploy.md).

Built as production is: a PostgreSQL database owned by a migration role that the console uses,
migrated by ``passage setup``; the grants applied with ``psql -f docs/intake-database-role.sql``;
an intake tier (``PASSAGE_ROLE=intake``, a data directory holding only the intake public keys,
the codename pepper and its Django secret) served by ``passage serve`` and connecting as the
intake role. A person goes through every public flow over HTTP, with a screener's reply sent
from the console in between; then the same role is refused everything else, straight in SQL.

The roles only mean something on PostgreSQL, so this module always makes its own database:
on the server DATABASE_URL names when that is PostgreSQL, otherwise on the PostgreSQL at
127.0.0.1:5432 that the machine and CI always run. It runs (never skips) in both suite runs.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import errors

from passage.core import memstore
from tests.conftest import REPO_ROOT, _postgres_server_url, _psql_admin
from tests.core.conftest import base_env
from tests.core.support import RunningServer, http_get, passage_serve, run_passage
from tests.intake.support import png_bytes

GRANTS = REPO_ROOT / "docs" / "intake-database-role.sql"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
REPLY = "Мы получили ваш запрос и скоро ответим здесь."
STORY = "Меня задержали во вторник ночью."


# --- The installation ----------------------------------------------------------------------------


@dataclass
class Tiers:
    console_env: dict[str, str]
    intake_env: dict[str, str]
    owner_url: str
    intake_url: str
    server: RunningServer


def _role_url(server_url: str, user: str, password: str, database: str) -> str:
    parts = urlsplit(server_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user}:{password}@{host}:{parts.port or 5432}"
    return urlunsplit((parts.scheme, netloc, f"/{database}", "", ""))


def _psql(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", url, "-X", "-v", "ON_ERROR_STOP=1", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def apply_grants(owner_url: str, role: str) -> subprocess.CompletedProcess[str]:
    """What docs/deploy.md says to run: the script, as the tables' owner."""
    return _psql(owner_url, "-v", f"intake_role={role}", "-f", str(GRANTS))


def _intake_env(console_env: dict[str, str], data_dir: Path, intake_url: str) -> dict[str, str]:
    """An intake tier's environment: its own data directory with only what it may hold."""
    console_keys = Path(console_env["PASSAGE_DATA_DIR"]) / "keys"
    keys = data_dir / "keys"
    (keys / "intake").mkdir(parents=True)
    for public in (console_keys / "intake").glob("*.public"):
        shutil.copy2(public, keys / "intake" / public.name)
    for name in ("codename-pepper.key", "django-secret.key"):
        shutil.copy2(console_keys / name, keys / name)
    env = base_env(data_dir)
    env["PASSAGE_ROLE"] = "intake"
    env["DATABASE_URL"] = intake_url
    return env


@pytest.fixture(scope="module")
def tiers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tiers]:
    root = tmp_path_factory.mktemp("intake-role")
    server_url = _postgres_server_url() or DEFAULT_SERVER
    token = secrets.token_hex(5)
    owner, intake, database = (
        f"passage_owner_{token}",
        f"passage_intake_{token}",
        f"passage_roles_{token}",
    )
    owner_password, intake_password = secrets.token_hex(16), secrets.token_hex(16)
    owner_url = _role_url(server_url, owner, owner_password, database)
    intake_url = _role_url(server_url, intake, intake_password, database)
    admin_url = urlunsplit(urlsplit(server_url)._replace(path=f"/{database}"))
    env_prefixes: list[str] = []
    try:
        _psql_admin(server_url, f"CREATE ROLE \"{owner}\" LOGIN PASSWORD '{owner_password}'")
        _psql_admin(server_url, f"CREATE ROLE \"{intake}\" LOGIN PASSWORD '{intake_password}'")
        _psql_admin(server_url, f'CREATE DATABASE "{database}" OWNER "{owner}"')
        # The one-time hardening docs/deploy.md asks for (a no-op for CREATE on PostgreSQL 15+).
        hardened = _psql(
            admin_url,
            "-c",
            f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC',
            "-c",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "-c",
            f'GRANT USAGE, CREATE ON SCHEMA public TO "{owner}"',
        )
        assert hardened.returncode == 0, hardened.stderr

        console_env = base_env(root / "console")
        console_env["DATABASE_URL"] = owner_url
        env_prefixes.append(console_env["PASSAGE_REDIS_PREFIX"])
        setup = run_passage(console_env, "setup", timeout=300)
        assert setup.returncode == 0, setup.stderr

        granted = apply_grants(owner_url, intake)
        assert granted.returncode == 0, granted.stderr
        # Safe to run again (after every upgrade, docs/deploy.md).
        again = apply_grants(owner_url, intake)
        assert again.returncode == 0, again.stderr

        intake_env = _intake_env(console_env, root / "intake", intake_url)
        env_prefixes.append(intake_env["PASSAGE_REDIS_PREFIX"])
        intake_keys = root / "intake" / "keys"
        assert not (intake_keys / "master.key").exists()
        assert not (intake_keys / "blind-index.key").exists()
        assert not list((intake_keys / "intake").glob("*.secret"))
        intake_setup = run_passage(intake_env, "setup")  # static files only, no database work
        assert intake_setup.returncode == 0, intake_setup.stderr

        # `passage serve` checks the migrations as the intake role before it starts.
        with passage_serve(intake_env, root / "logs") as server:
            yield Tiers(
                console_env=console_env,
                intake_env=intake_env,
                owner_url=owner_url,
                intake_url=intake_url,
                server=server,
            )
    finally:
        _psql_admin(server_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _psql_admin(server_url, f'DROP ROLE IF EXISTS "{intake}"')
        _psql_admin(server_url, f'DROP ROLE IF EXISTS "{owner}"')
        client = memstore.client()
        for prefix in env_prefixes:
            for name in client.scan_iter(match=f"{prefix}:*", count=500):
                client.delete(name)
        shutil.rmtree(root, ignore_errors=True)


# --- A person's browser, without JavaScript ------------------------------------------------------


class Visitor:
    """Cookies kept, redirects followed, straight to our server; answers (status, page)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read().decode(errors="replace")

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        url = self.base_url + path
        return self._open(urllib.request.Request(url, headers=headers or {}))  # noqa: S310 -- our own loopback server

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        url, headers = self.base_url + path, {"Content-Type": content_type, "Origin": self.base_url}
        return self._open(urllib.request.Request(url, data=body, headers=headers))  # noqa: S310 -- our own loopback server

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(fields).encode()
        return self.post(path, body, "application/x-www-form-urlencoded")


def _multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----passage" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _served(tiers: Tiers, what: str, answer: tuple[int, str], status: int = 200) -> str:
    code, page = answer
    if code != status:
        _out, err = tiers.server.output()
        tail = "\n".join(err.splitlines()[-15:])
        raise AssertionError(f"{what}: HTTP {code}, expected {status}; server log:\n{tail}")
    return page


def _console(tiers: Tiers, code: str) -> dict[str, object]:
    """Run ``code`` on the console tier (the owner role); it prints one JSON line."""
    result = run_passage(tiers.console_env, "shell", "-c", code)
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            return dict(json.loads(line))
    raise AssertionError(f"console failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


REPLY_FROM_CONSOLE = f"""
import json
from passage.accounts.models import RoleGrant, User
from passage.accounts.roles import Role
from passage.intake.models import HelpRequest
from passage.intake.services import screening
user = User(username="screener")
user.set_unusable_password()
user.save()
RoleGrant.objects.create(user=user, role=Role.SCREENER)
request = HelpRequest.objects.get()
screening.request_reply(request=request, actor=user, body={REPLY!r}, status="working")
print(json.dumps({{"request": str(request.pk)}}))
"""

STATE_FROM_CONSOLE = """
import json
from passage.audit.models import AuditEntry
from passage.intake.models import HelpRequest, Mailbox, RequestItem, StaffReply
request = HelpRequest.objects.get()
print(json.dumps({
    "state": request.state,
    "status": request.status,
    "story": request.story_received,
    "mailbox": None if request.mailbox_id is None else str(request.mailbox_id),
    "mailboxes": Mailbox.objects.count(),
    "items": sorted(RequestItem.objects.filter(request=request).values_list("kind", flat=True)),
    "replies_for_person": StaffReply.objects.filter(for_person__isnull=False).count(),
    "replies": StaffReply.objects.count(),
    "public_actions": sorted(
        set(AuditEntry.objects.filter(actor="public").values_list("action", flat=True))
    ),
}))
"""


# --- The flows, as the intake role ---------------------------------------------------------------


def test_every_public_flow_works_as_the_intake_role(tiers: Tiers) -> None:
    base = tiers.server.base_url
    log_start = len(tiers.server.output()[1])
    with http_get(base + "/healthz", timeout=10) as response:
        assert json.loads(response.read()) == {
            "status": "ok",
            "database": "ok",
            "migrations": "ok",
        }

    # The first step, then the story with a picture, on the same visit.
    person = Visitor(base)
    _served(tiers, "the help page", person.get("/ru/"))
    receipt = _served(
        tiers,
        "the first step",
        person.post_form(
            "/ru/request/", {"country": "RU", "urgency": "immediate", "language": "ru"}
        ),
    )
    found = re.search(r'class="codename"[^>]*>([^<]+)<', receipt)
    assert found, "no codename on the receipt"
    codename = found.group(1).strip()
    body, content_type = _multipart(
        {"csrfmiddlewaretoken": _token(receipt), "happened": STORY, "situations": "detained"},
        [("photo.png", png_bytes())],
    )
    mailbox = _served(tiers, "the story", person.post("/ru/story/", body, content_type))
    assert "/ru/mailbox/sign-out/" in mailbox

    # A screener replies from the console.
    _console(tiers, REPLY_FROM_CONSOLE)

    # A later visit: sign in with the codename, read the reply, answer it.
    again = Visitor(base)
    sign_in = _served(tiers, "the sign-in page", again.get("/ru/mailbox/"))
    opened = _served(
        tiers,
        "the mailbox sign-in",
        again.post_form(
            "/ru/mailbox/", {"csrfmiddlewaretoken": _token(sign_in), "codename": codename}
        ),
    )
    assert REPLY in opened, "the screener's reply is not shown in the mailbox"
    body, content_type = _multipart(
        {"csrfmiddlewaretoken": _token(opened), "text": "Спасибо, я жду."}, []
    )
    _served(tiers, "a message", again.post("/ru/mailbox/message/", body, content_type))
    # The person chooses their check-in words and checks in (docs/safety.md): sealed rows only.
    _served(
        tiers,
        "choosing the check-in words",
        again.post_form(
            "/ru/mailbox/words/",
            {
                "csrfmiddlewaretoken": _token(opened),
                "checkin_word": "подсолнух",
                "duress_word": "зонтик",
            },
        ),
    )
    _served(
        tiers,
        "a check-in",
        again.post_form(
            "/ru/mailbox/check-in/", {"csrfmiddlewaretoken": _token(opened), "word": "зонтик"}
        ),
    )
    _served(tiers, "the privacy notice", again.get("/ru/privacy/"))

    # The person deletes the mailbox; the codename opens nothing any more.
    confirm = _served(tiers, "the delete page", again.get("/ru/mailbox/delete/"))
    _served(
        tiers,
        "deleting the mailbox",
        again.post_form("/ru/mailbox/delete/", {"csrfmiddlewaretoken": _token(confirm)}),
    )
    third = Visitor(base)
    sign_in = _served(tiers, "the sign-in page", third.get("/ru/mailbox/"))
    _served(
        tiers,
        "signing in to a deleted mailbox",
        third.post_form(
            "/ru/mailbox/", {"csrfmiddlewaretoken": _token(sign_in), "codename": codename}
        ),
        status=400,
    )

    # What the intake role wrote is all there, as the console sees it.
    state = _console(tiers, STATE_FROM_CONSOLE)
    assert state == {
        "state": "read",  # replied, then the person answered: back on the screener's list
        "status": "working",
        "story": True,
        "mailbox": None,
        "mailboxes": 0,
        "items": ["file", "message", "story"],
        "replies_for_person": 0,
        "replies": 1,
        "public_actions": [
            "mailbox.checkin",
            "mailbox.delete",
            "mailbox.message",
            "mailbox.sign_in",
            "mailbox.words_set",
            "request.story",
            "request.submit",
        ],
    }
    verified = run_passage(tiers.console_env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    log = tiers.server.output()[1][log_start:]
    for sign in ("permission denied", "ProgrammingError", "answered 503", " 500 "):
        assert sign not in log, f"the intake tier's log shows {sign!r}"


def test_a_stray_session_cookie_needs_no_session_table(tiers: Tiers) -> None:
    """The intake tier has no staff sessions; a visitor whose browser still carries a
    session cookie (a staff member, a shared computer) gets the help page, not a 503 from a
    read of django_session, which the intake role may not do."""
    visitor = Visitor(tiers.server.base_url)
    cookie = {"Cookie": "passage_session=" + secrets.token_hex(16)}
    _served(tiers, "the help page with a session cookie", visitor.get("/ru/", cookie))
    code, _page = visitor.get("/staff/", cookie)
    assert code == 404, f"/staff/ with a session cookie answered {code} on the intake tier"


# --- Everything else, refused --------------------------------------------------------------------

ALLOWED = [
    "SELECT id, mailbox_id, state, status, story_received FROM intake_helprequest",
    "SELECT id, lookup, public_key, language, contact_phrase FROM intake_mailbox",
    "SELECT request_id, kind, position FROM intake_requestitem",
    "SELECT id, request_id, sent_at, for_person FROM intake_staffreply",
    "SELECT id, sequence, entry_hash FROM audit_audithead",
    "SELECT app, name FROM django_migrations",
]

REFUSED = [
    # Case data, keys, staff, sessions, jobs: nothing at all.
    "SELECT id FROM cases_case",
    "SELECT narrative FROM cases_case",
    "SELECT id FROM cases_person",
    "INSERT INTO cases_case DEFAULT VALUES",
    "SELECT wrapped FROM crypto_datakey",
    "SELECT * FROM crypto_datakey",
    "INSERT INTO crypto_datakey DEFAULT VALUES",
    "SELECT * FROM crypto_blindindex",
    "SELECT * FROM crypto_shredrecord",
    "SELECT id FROM accounts_user",
    "SELECT * FROM accounts_staffsession",
    "SELECT * FROM django_session",
    "SELECT * FROM django_tasks_database_dbtaskresult",
    "INSERT INTO django_tasks_database_dbtaskresult DEFAULT VALUES",
    "SELECT * FROM alerts_alert",
    "SELECT * FROM intake_referralorganisation",
    # What is sealed or staff-only in the intake tables.
    "SELECT sealed FROM intake_helprequest",
    "SELECT staff_note FROM intake_helprequest",
    "SELECT case_id FROM intake_helprequest",
    "SELECT * FROM intake_helprequest",
    "SELECT sealed FROM intake_requestitem",
    "SELECT body FROM intake_staffreply",
    "SELECT author_id FROM intake_staffreply",
    # Staff decisions, and what staff wrote.
    "UPDATE intake_helprequest SET status = 'working'",
    "UPDATE intake_helprequest SET case_id = NULL",
    "UPDATE intake_helprequest SET sealed = ''",
    "DELETE FROM intake_helprequest",
    "UPDATE intake_requestitem SET sealed = ''",
    "DELETE FROM intake_requestitem",
    "UPDATE intake_staffreply SET body = NULL",
    "DELETE FROM intake_staffreply",
    "INSERT INTO intake_staffreply (id, request_id, sent_at, template) "
    "VALUES (gen_random_uuid(), gen_random_uuid(), now(), '')",
    "TRUNCATE intake_mailbox",
    # The audit log: append only, and not even readable.
    "SELECT * FROM audit_auditentry",
    "UPDATE audit_auditentry SET actor = 'public'",
    "DELETE FROM audit_auditentry",
    "TRUNCATE audit_auditentry",
    "DELETE FROM audit_audithead",
    "INSERT INTO audit_audithead DEFAULT VALUES",
    "DROP TRIGGER audit_auditentry_no_update_delete ON audit_auditentry",
    # No new objects, not even temporary ones.
    "CREATE TABLE intake_elsewhere (id integer)",
    "CREATE TEMPORARY TABLE elsewhere (id integer)",
]


def test_the_intake_role_is_refused_everything_else(tiers: Tiers) -> None:
    with psycopg.connect(tiers.intake_url, autocommit=True) as connection:
        for sql in ALLOWED:  # the control: the connection works and reads what it needs
            connection.execute(sql).fetchall()
        allowed_anyway = []
        for sql in REFUSED:
            try:
                connection.execute(sql)
            except errors.InsufficientPrivilege:
                continue
            allowed_anyway.append(sql)
    assert allowed_anyway == [], "the intake role was allowed: " + "; ".join(allowed_anyway)


def test_the_grants_refuse_a_role_that_owns_the_tables(tiers: Tiers) -> None:
    owner = urlsplit(tiers.owner_url).username or ""
    refused = apply_grants(tiers.owner_url, owner)
    assert refused.returncode != 0
    assert "owns none of the tables" in refused.stdout + refused.stderr
    unnamed = _psql(tiers.owner_url, "-f", str(GRANTS))
    assert unnamed.returncode != 0
    assert "intake_role" in unnamed.stdout + unnamed.stderr
