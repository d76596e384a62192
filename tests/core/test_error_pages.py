"""Error pages: plain words, no stack trace, the right status, even with the database down."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from pytest_django import Settings

from tests.core.support import probe, scan_html
from tests.core.urls import SECRET_MARKER

TRACE_WORDS = ("Traceback", "RuntimeError", 'File "', "line ", SECRET_MARKER, "django.")


@pytest.fixture
def test_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.core.urls"


def assert_plain_error_page(html: str) -> None:
    for word in TRACE_WORDS:
        assert word not in html, f"error page contains {word!r}"
    assert '<html lang="en" dir="ltr">' in html
    _, inline = scan_html(html)
    assert not inline


@pytest.mark.usefixtures("test_urls")
def test_unhandled_exception_gives_plain_500(caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/test/boom")
    assert response.status_code == 500
    html = response.content.decode()
    assert_plain_error_page(html)
    assert "Something went wrong on our side" in html
    # The reference lets support find the log line; the log has the type, never the message.
    assert response["X-Request-Id"] in html
    assert "unhandled RuntimeError" in caplog.text
    assert SECRET_MARKER not in caplog.text


@pytest.mark.usefixtures("test_urls")
def test_permission_denied_gives_plain_403(caplog: pytest.LogCaptureFixture) -> None:
    response = Client().get("/test/forbidden")
    assert response.status_code == 403
    assert_plain_error_page(response.content.decode())
    assert "You cannot open this page" in response.content.decode()
    assert "unhandled" not in caplog.text  # an expected refusal is not a fault


@pytest.mark.usefixtures("test_urls")
def test_suspicious_request_gives_plain_400() -> None:
    response = Client().get("/test/suspicious")
    assert response.status_code == 400
    assert_plain_error_page(response.content.decode())


def test_unknown_host_gives_plain_400() -> None:
    response = Client().get("/staff/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_plain_error_page(response.content.decode())
    assert "We could not understand that request" in response.content.decode()


def test_unknown_page_gives_plain_404() -> None:
    response = Client().get("/no/such/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert_plain_error_page(html)
    assert "Page not found" in html


def test_error_pages_carry_the_quick_exit_link() -> None:
    # A requester who mistypes an address still has "Leave quickly" first on the page.
    html = Client().get("/no/such/page").content.decode()
    urls, _ = scan_html(html)
    assert urls[0].element_id is None  # the stylesheet, in <head>
    body_links = [u for u in urls if u.tag == "a"]
    assert body_links[0].element_id == "quick-exit"


def test_error_pages_follow_the_language() -> None:
    html = Client().get("/no/such/page", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<html lang="fa" dir="rtl">' in html


def test_500_page_works_with_the_database_down(keyed_env: dict[str, str]) -> None:
    # A session cookie makes the staff console look the user up: the database is needed, and
    # it is not there. The answer must still be our plain 500 page.
    result = probe(
        {**keyed_env, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/passage"},
        """
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
results = describe(client.get("/staff/home/"))
""",
    )
    assert result["status"] == 500
    html = str(result["body"])
    assert "Something went wrong on our side" in html
    for word in TRACE_WORDS[:4]:
        assert word not in html
    assert "OperationalError" not in html
