"""Fixtures for the accounts tests: staff users and a CSRF-enforcing browser-like client."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from passage.accounts.models import RoleGrant, User
from passage.accounts.roles import Role

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PASSPHRASE = "kettle-orbit-maple-dune"


def make_user(username: str, *, is_active: bool = True, is_admin: bool = False) -> User:
    user = User(username=username, is_active=is_active)
    user.set_password(PASSPHRASE)
    user.save()
    if is_admin:
        RoleGrant.objects.create(user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice")


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
