"""What a requester types or attaches, and what their browser says about them, is found nowhere.

A real installation (``passage setup`` + ``passage serve``) takes a request through HTTP: a
marker in every text field of both steps and of a mailbox message, in the EXIF of a photo, and
in the User-Agent, Referer and X-Forwarded-For headers. Then the database file (WAL included) or
a dump, every file of the data directory, the server's logs and the memory store are searched.
A positive control (the reply language, a plain column) proves the search would find things.
"""

from __future__ import annotations

import base64
import http.cookiejar
import io
import re
import secrets
import shutil
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from PIL import Image

from passage.core import memstore
from tests.conftest import _postgres_server_url, _psql_admin
from tests.core.conftest import base_env
from tests.core.support import passage_serve, run_passage

MARKER = "Mrk-Ramzan-Grozny-7731"
ADDRESS = "203.0.113.199"
HEADERS = {
    "User-Agent": f"Mozilla/5.0 {MARKER}-agent",
    "Referer": f"https://referrer.example/{MARKER}-referer",
    "X-Forwarded-For": ADDRESS,
    "Accept-Language": "ru",
}


def _forms(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.lower(), raw.hex().encode(), base64.b64encode(raw), text.encode("utf-16-le")]


def _photo() -> bytes:
    """A JPEG whose EXIF carries the marker as description, camera and GPS position."""
    image = Image.new("RGB", (64, 48), (120, 30, 200))
    exif = Image.Exif()
    exif[0x010E] = f"{MARKER}-description"  # ImageDescription
    exif[0x010F] = f"{MARKER}-camera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (43.0, 18.0, 0.0), "E", (45.0, 41.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=f"{MARKER}-comment".encode())
    data = out.getvalue()
    assert MARKER.encode() in data  # the control: the marker is really in the file we send
    return data


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "----passage" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, content in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Visitor:
    """A browser without JavaScript: cookies kept, redirects followed, marker headers sent."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        request = urllib.request.Request(self.base_url + path, headers=HEADERS)  # noqa: S310 -- loopback
        with self.opener.open(request, timeout=30) as response:
            return str(response.read().decode())

    def post(self, path: str, body: bytes, content_type: str) -> str:
        headers = {**HEADERS, "Content-Type": content_type, "Origin": self.base_url}
        url = self.base_url + path
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 -- loopback
        with self.opener.open(request, timeout=30) as response:
            return str(response.read().decode())

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        body = urllib.parse.urlencode(fields).encode()
        return self.post(path, body, "application/x-www-form-urlencoded")


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    data_dir = tmp_path / "data"
    env = base_env(data_dir)
    server_url = _postgres_server_url()
    db_name = None
    if server_url:
        db_name = f"passage_markers_{secrets.token_hex(6)}"
        _psql_admin(server_url, f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(server_url)._replace(path=f"/{db_name}"))
    try:
        setup = run_passage(env, "setup")
        assert setup.returncode == 0, setup.stderr
        with passage_serve(env, tmp_path / "logs", workers=2) as server:
            yield server.base_url, env, tmp_path / "logs"
    finally:
        if server_url and db_name:
            _psql_admin(server_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


def _database_bytes(env: dict[str, str], data_dir: Path) -> bytes:
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for this test (postgresql-client)")
        return subprocess.run(
            ["pg_dump", "--no-owner", url], capture_output=True, check=True
        ).stdout
    files = [p for p in data_dir.glob("passage.sqlite3*") if p.is_file()]
    assert files, "no SQLite files found"
    return b"".join(p.read_bytes() for p in files)


def _memory_store_bytes(prefix: str) -> bytes:
    client = memstore.client()
    chunks = []
    for name in client.scan_iter(match=f"{prefix}:*", count=500):
        chunks.append(bytes(name))
        value = client.dump(name)
        if value is not None:
            chunks.append(bytes(value))
    return b"".join(chunks)


def test_nothing_typed_or_sent_is_found_at_rest(
    served: tuple[str, dict[str, str], Path],
) -> None:
    base_url, env, log_dir = served
    person = Visitor(base_url)
    person.get("/ru/")
    receipt = person.post_form(
        "/ru/request/", {"country": "RU", "urgency": "immediate", "language": "ru"}
    )
    codename = re.search(r'class="codename"[^>]*>([^<]+)<', receipt)
    assert codename, "no codename on the receipt"
    story = {
        "csrfmiddlewaretoken": _token(receipt),
        "name": f"{MARKER}-name",
        "contact_kind": "telegram",
        "contact_value": f"@{MARKER}-handle",
        "region": f"{MARKER}-region",
        "situations": "detained",
        "happened": f"{MARKER}-happened",
        "fears": f"{MARKER}-fears",
        "passport": "no",
        "people": "3",
    }
    body, content_type = _multipart(story, [("files", "photo.jpg", _photo())])
    mailbox = person.post("/ru/story/", body, content_type)
    message, message_type = _multipart(
        {"csrfmiddlewaretoken": _token(mailbox), "text": f"{MARKER}-message"}, []
    )
    person.post("/ru/mailbox/message/", message, message_type)

    # Signing in again with the codename (a new visit) works, and leaves no trace either.
    again = Visitor(base_url)
    sign_in = again.get("/ru/mailbox/")
    opened = again.post_form(
        "/ru/mailbox/",
        {"csrfmiddlewaretoken": _token(sign_in), "codename": codename.group(1)},
    )
    assert "/ru/mailbox/sign-out/" in opened

    # Control: the story, the photo and the message were all taken (sealed) and stored.
    kinds = run_passage(
        env,
        "shell",
        "-c",
        "from passage.intake.models import RequestItem\n"
        "print(sorted(RequestItem.objects.values_list('kind', flat=True)))",
    )
    assert "['file', 'message', 'story']" in kinds.stdout, kinds.stderr

    data_dir = Path(env["PASSAGE_DATA_DIR"])
    database = _database_bytes(env, data_dir)
    assert b"immediate" in database  # control: the plain urgency column is found
    places = {
        "the database": database,
        "the data directory": b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file()),
        "the server's logs": b"".join(p.read_bytes() for p in log_dir.rglob("*") if p.is_file()),
        "the memory store": _memory_store_bytes(env["PASSAGE_REDIS_PREFIX"]),
    }
    secrets_sent = [MARKER, ADDRESS, codename.group(1)]
    for where, blob in places.items():
        for secret in secrets_sent:
            for form in _forms(secret):
                assert form not in blob, f"a marker ({secret[:6]}...) was found in {where}"
