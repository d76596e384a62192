"""Helpers for the admin page tests: posting forms like a browser, and ageing the second factor."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.test import Client

from passage.accounts import sessions
from tests.accounts.conftest import form_token

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def submit(client: Client, path: str, data: dict[str, Any] | None = None) -> TestResponse:
    """GET ``path`` for its CSRF token, then POST ``data`` to it (CSRF is enforced)."""
    token = form_token(client, path)
    return client.post(path, {"csrfmiddlewaretoken": token, **(data or {})})


def age_second_factor(client: Client, seconds: float = 600) -> None:
    """Make the session's last second-factor check ``seconds`` old (step-up is 5 minutes)."""
    session = client.session
    session[sessions.SECOND_FACTOR_AT] = time.time() - seconds
    session.save()


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> TestResponse:
    """POST with a valid CSRF token taken from "My sessions" (for pages a GET would not show;
    every signed-in person has that page, partners too, whose "My work" leads to their portal)."""
    token = form_token(client, "/staff/sessions/")
    return client.post(path, {"csrfmiddlewaretoken": token, **(data or {})})
