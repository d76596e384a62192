"""Security headers and cookies on pages, error pages and static files (DESIGN invariant 5)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.test import Client
from pytest_django import Settings

from passage.accounts.models import User
from tests.conftest import ScratchInstall
from tests.core.support import probe

EXPECTED_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


def csp_directives(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        assert name not in directives, f"{name} appears twice"
        directives[name] = value.strip()
    return directives


def assert_page_headers(headers: Mapping[str, str]) -> None:
    assert csp_directives(headers["Content-Security-Policy"]) == EXPECTED_CSP
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"].split(",")[0].strip() == "no-store"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.fixture
def test_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.core.urls"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/staff/", 200),
        ("/staff/home/", 302),
        ("/healthz", 200),
        ("/no/such/page", 404),
        ("/test/boom", 500),
        ("/test/forbidden", 403),
        ("/test/suspicious", 400),
        ("/test/public", 200),
    ],
)
@pytest.mark.usefixtures("test_urls")
def test_every_kind_of_page_has_the_security_headers(path: str, status: int) -> None:
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == status
    assert_page_headers(response.headers)


def test_bad_host_error_page_has_the_security_headers() -> None:
    # This 400 is made by middleware outside Django's clickjacking middleware.
    response = Client().get("/staff/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_page_headers(response.headers)


def test_csrf_failure_page_has_the_security_headers() -> None:
    response = Client(enforce_csrf_checks=True).post("/staff/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()
    assert_page_headers(response.headers)


# The sign-in page reads whether a lockdown is in force.
@pytest.mark.django_db
def test_no_hsts_without_tls() -> None:
    assert "Strict-Transport-Security" not in Client().get("/staff/")


@pytest.mark.django_db
def test_cookies_are_http_only_strict_and_end_with_the_browser() -> None:
    client = Client()
    response = client.get("/staff/")
    csrf = response.cookies["passage_csrf"]
    assert csrf["httponly"] and csrf["samesite"] == "Strict"
    assert not csrf["max-age"] and not csrf["expires"]  # nothing outlives the browser
    user = User(username="cookie-user")
    user.set_password("a long enough passphrase")
    user.save()
    response = client.post(
        "/staff/", {"username": "cookie-user", "password": "a long enough passphrase"}
    )
    assert response.status_code == 302
    session = response.cookies["passage_session"]
    assert session["httponly"] and session["samesite"] == "Strict"
    assert not session["max-age"] and not session["expires"]
    assert not session["secure"]  # no TLS in this configuration


TLS_PROBE = """
from passage.accounts.models import User
user = User(username="tls-user")
user.set_password("a long enough passphrase")
user.save()
https = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
results["page"] = describe(https.get("/staff/"))
results["sign_in"] = describe(
    https.post("/staff/", {"username": "tls-user", "password": "a long enough passphrase"})
)
results["plain_http"] = describe(Client(HTTP_HOST="127.0.0.1").get("/staff/"))
"""


def test_with_tls_cookies_are_secure_and_hsts_is_sent(scratch_install: ScratchInstall) -> None:
    result = probe({**scratch_install.env, "PASSAGE_TLS": "1"}, TLS_PROBE)
    page, sign_in, plain = result["page"], result["sign_in"], result["plain_http"]
    assert isinstance(page, dict) and isinstance(sign_in, dict) and isinstance(plain, dict)
    assert page["status"] == 200
    assert page["headers"]["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert page["cookies"]["passage_csrf"] == {
        "httponly": True,
        "secure": True,
        "samesite": "Strict",
    }
    assert sign_in["status"] == 302
    assert sign_in["cookies"]["passage_session"] == {
        "httponly": True,
        "secure": True,
        "samesite": "Strict",
    }
    # Plain HTTP is sent to HTTPS before anything else happens.
    assert plain["status"] == 301
    assert plain["headers"]["Location"] == "https://127.0.0.1/staff/"
