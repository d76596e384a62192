"""Helpers for the alerts tests."""

from __future__ import annotations

import re

from django.test import Client


def page_token(client: Client, path: str) -> str:
    """The CSRF token of the first form on ``path``, as a browser would send it."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found, f"no form with a CSRF token on {path}"
    return found.group(1)
