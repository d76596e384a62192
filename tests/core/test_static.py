"""Static files: served by our own app from the collected directory, hashed and cached long."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client
from pytest_django import Settings

from passage.core.staticfiles import LONG_CACHE, SHORT_CACHE

SOURCE = Path(__file__).resolve().parents[2] / "src" / "passage" / "core" / "static" / "passage"


@pytest.fixture
def collected(settings: Settings, tmp_path: Path) -> Iterator[Path]:
    """``collectstatic`` into a directory of this test's own, as ``passage setup`` does."""
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    yield settings.STATIC_ROOT


def hashed(name: str) -> str:
    return staticfiles_storage.url(name).removeprefix("/static/")


# The sign-in page reads whether a lockdown is in force.
@pytest.mark.django_db
def test_pages_link_the_hashed_stylesheet_once_collected(collected: Path) -> None:
    html = Client().get("/staff/").content.decode()
    css = hashed("passage/passage.css")
    assert re.fullmatch(r"passage/passage\.[0-9a-f]{12}\.css", css)
    assert f'href="/static/{css}"' in html


def test_hashed_files_are_served_with_a_long_cache(collected: Path) -> None:
    response = Client().get("/static/" + hashed("passage/passage.css"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Cache-Control"] == LONG_CACHE
    assert response.getvalue() == (SOURCE / "passage.css").read_bytes()
    script = Client().get("/static/" + hashed("passage/vendor/htmx.min.js"))
    assert script.status_code == 200
    assert script["Content-Type"].split(";")[0] in {"text/javascript", "application/javascript"}
    assert script["Cache-Control"] == LONG_CACHE


def test_unhashed_names_must_be_revalidated(collected: Path) -> None:
    response = Client().get("/static/passage/passage.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == SHORT_CACHE


def test_head_has_no_body(collected: Path) -> None:
    response = Client().head("/static/" + hashed("passage/passage.css"))
    assert response.status_code == 200
    assert response.getvalue() == b""


@pytest.mark.parametrize(
    "path",
    [
        "/static/staticfiles.json",  # the manifest is ours, not the visitor's
        "/static/passage/../../keys/master.key",
        "/static/%2e%2e/keys/master.key",
        "/static/..%2fkeys/master.key",
        "/static/passage/",
        "/static/passage/.hidden",
        "/static/no-such-file.css",
    ],
)
def test_nothing_else_is_reachable(collected: Path, path: str) -> None:
    (collected.parent / "keys").mkdir(exist_ok=True)
    (collected.parent / "keys" / "master.key").write_text("not for the web")
    (collected / "passage" / ".hidden").write_text("dot-file")
    response = Client().get(path)
    assert response.status_code == 404
    assert b"not for the web" not in response.content


# The sign-in page reads whether a lockdown is in force.
@pytest.mark.django_db
def test_pages_are_never_cached_but_static_files_are(collected: Path) -> None:
    assert Client().get("/staff/")["Cache-Control"].startswith("no-store")
    static = Client().get("/static/" + hashed("passage/passage.css"))
    assert "no-store" not in static["Cache-Control"]


def test_static_files_refuse_writes(collected: Path) -> None:
    response = Client().post("/static/" + hashed("passage/passage.css"))
    assert response.status_code == 405


# The sign-in page reads whether a lockdown is in force.
@pytest.mark.django_db
def test_without_collectstatic_plain_names_are_used(settings: Settings, tmp_path: Path) -> None:
    # Development and tests: no manifest, so {% static %} gives the plain name.
    settings.STATIC_ROOT = tmp_path / "never-collected"
    html = Client().get("/staff/").content.decode()
    assert 'href="/static/passage/passage.css"' in html
