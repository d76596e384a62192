"""Helpers for the public and screening page tests: a browser-like client (CSRF enforced), the
first step posted as the help form posts it, and what a page or a response shows."""

from __future__ import annotations

import html as html_lib
import re
from typing import TYPE_CHECKING, Any

from django.test import Client

from tests.cases.views.support import token_in

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

__all__ = [
    "FEARS",
    "HANDLE",
    "HAPPENED",
    "STORY",
    "browser",
    "codename_in",
    "cookie_names",
    "first_step",
    "headers_text",
    "story_data",
    "token_in",
]

HAPPENED = "They took my phone at the checkpoint and read my messages."
FEARS = "That they come back to my mother's flat."
HANDLE = "@quiet_fox_1991"
STORY: dict[str, str | list[str]] = {
    "name": "Ali",
    "contact_kind": "telegram",
    "contact_value": HANDLE,
    "region": "Chechnya",
    "situations": ["detained", "family"],
    "happened": HAPPENED,
    "fears": FEARS,
    "passport": "expired",
    "people": "2",
}


def browser() -> Client:
    """A visitor's browser: CSRF is enforced, so every form post needs the page's token."""
    return Client(enforce_csrf_checks=True)


def first_step(client: Client, lang: str = "en", **data: str) -> TestResponse:
    """Post the help form's three questions (it has no CSRF token: the view is exempt)."""
    values = {"country": "RU", "urgency": "immediate", "language": lang, **data}
    return client.post(f"/{lang}/request/", values)


def codename_in(content: str) -> str:
    found = re.search(r'<p class="codename" lang="[a-z]+">([^<]+)</p>', content)
    assert found, "no codename on the page"
    return html_lib.unescape(found.group(1)).strip()


def cookie_names(response: TestResponse) -> set[str]:
    return set(response.cookies.keys())


def headers_text(response: TestResponse) -> str:
    """Every header of a response, Set-Cookie included, as one string."""
    lines = [f"{name}: {value}" for name, value in response.headers.items()]
    lines += [morsel.OutputString() for morsel in response.cookies.values()]
    return "\n".join(lines)


def story_data(client_page: str, **extra: Any) -> dict[str, Any]:
    """The story form's fields, with the CSRF token of the page that showed the form."""
    return {"csrfmiddlewaretoken": token_in(client_page), **STORY, **extra}
