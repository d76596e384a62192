"""Fixtures for the accounts tests: staff users and a CSRF-enforcing browser-like client."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from passage.accounts import totp
from passage.accounts.models import RoleGrant, TotpDevice, User
from passage.accounts.roles import Role

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PASSPHRASE = "kettle-orbit-maple-dune"


def make_user(
    username: str, *, is_active: bool = True, is_admin: bool = False, role: Role | None = None
) -> User:
    user = User(username=username, is_active=is_active)
    user.set_password(PASSPHRASE)
    user.save()
    if is_admin:
        RoleGrant.objects.create(user=user, role=Role.ADMIN)
    if role is not None:
        RoleGrant.objects.create(user=user, role=role)
    return user


def give_totp(user: User) -> str:
    """A confirmed authenticator for ``user``; returns its secret (to compute codes)."""
    secret = totp.new_secret()
    TotpDevice(user=user, secret=secret, confirmed=True).save()
    return secret


def code(secret: str, offset: int = 0) -> str:
    """The authenticator's code now (``offset`` steps later or earlier)."""
    return totp.code_at(secret, totp.current_step() + offset)


def wrong_code(secret: str) -> str:
    """Six digits that are not a valid code now (nor one step either side)."""
    valid = {code(secret, offset) for offset in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice", role=Role.CASEWORKER)


@pytest.fixture
def alice_secret(alice: User) -> str:
    return give_totp(alice)


@pytest.fixture
def browser() -> Client:
    """Like a browser: CSRF is enforced, so every POST needs the token from a form."""
    return Client(enforce_csrf_checks=True)


def form_token(client: Client, path: str) -> str:
    """The CSRF token of the first form on ``path``, as a browser would send it."""
    html = client.get(path).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, f"no form with a CSRF token on {path}"
    return found.group(1)


def sign_in(client: Client, username: str, password: str, **extra: str) -> TestResponse:
    token = form_token(client, "/staff/")
    data = {"csrfmiddlewaretoken": token, "username": username, "password": password, **extra}
    return client.post("/staff/", data)


def post_form(client: Client, path: str, data: dict[str, str]) -> TestResponse:
    """GET ``path`` for the CSRF token of its form, then POST ``data`` to it."""
    token = form_token(client, path)
    return client.post(path, {"csrfmiddlewaretoken": token, **data})


def enter_code(client: Client, value: str, path: str = "/staff/second-factor/") -> TestResponse:
    return post_form(client, path, {"code": value})


def full_sign_in(client: Client, username: str, secret: str) -> TestResponse:
    """Passphrase, then a code from the authenticator: a fully signed-in session."""
    first = sign_in(client, username, PASSPHRASE)
    assert first.status_code == 302, first.content
    assert first["Location"].startswith("/staff/second-factor/")
    return enter_code(client, code(secret))
