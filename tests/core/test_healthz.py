"""/healthz: 200 only when the database answers and every migration is applied."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import ScratchInstall
from tests.core.support import probe

HEALTHZ_PROBE = """
response = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False).get("/healthz")
results = describe(response)
"""


@pytest.mark.django_db
def test_healthy_installation_answers_exactly_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_refuses_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_pending_migration_answers_503(scratch_install: ScratchInstall) -> None:
    # A real installation with one (harmless) migration unapplied, as after an upgrade that
    # forgot `passage setup`.
    scratch_install.run("migrate", "sessions", "zero", "--no-input", "-v", "0")
    result = probe(scratch_install.env, HEALTHZ_PROBE)
    assert result["status"] == 503
    assert json.loads(str(result["body"])) == {
        "status": "unavailable",
        "database": "ok",
        "migrations": "pending",
    }


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param("postgres://postgres@127.0.0.1:1/passage", id="postgres-nobody-listening"),
        pytest.param("sqlite:////nonexistent-directory/passage.sqlite3", id="sqlite-unopenable"),
    ],
)
def test_unreachable_database_answers_503(keyed_env: dict[str, str], database_url: str) -> None:
    result = probe({**keyed_env, "DATABASE_URL": database_url}, HEALTHZ_PROBE)
    assert result["status"] == 503
    assert json.loads(str(result["body"])) == {
        "status": "unavailable",
        "database": "unavailable",
        "migrations": "unknown",
    }
