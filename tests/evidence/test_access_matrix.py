"""The evidence lines of the access matrix (tests/access_matrix.py), checked on their own with
the project-wide world and personas, so this app's URLs are proven even while other lines of
the matrix are being written. The real objects (a testimony, bundles) are tried in
``test_views.py``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.access_matrix import MATRIX, PERSONAS, M, N
from tests.accounts.conftest import form_token
from tests.test_access_matrix import (  # noqa: F401 -- fixtures
    answer,
    clients,
    collected,
    url_for,
    walk,
    world,
)

pytestmark = pytest.mark.django_db


def test_every_evidence_url_has_its_line_and_each_persona_gets_it(
    clients: dict[str, Client],  # noqa: F811
    world: dict[str, Any],  # noqa: F811
) -> None:
    routes = [r for r in walk() if r.name.startswith("evidence:")]
    assert len(routes) == 21
    wrong = []
    for route in routes:
        assert route.name in MATRIX, route.name
        expected = dict(zip(PERSONAS, MATRIX[route.name], strict=True))
        for persona, client in clients.items():
            got = answer(client, url_for(route, world, persona))
            if got != expected[persona]:
                wrong.append(f"{route.name} as {persona}: expected {expected[persona]}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_evidence_urls_with_ids_that_name_nothing_are_404_also_to_a_post(
    clients: dict[str, Client],  # noqa: F811
    world: dict[str, Any],  # noqa: F811
) -> None:
    wrong = []
    for route in walk():
        if not route.name.startswith("evidence:") or not route.arguments:
            continue
        for persona, client in clients.items():
            if persona in {"outsider", "no2fa"}:
                continue
            url = url_for(route, world, persona, missing=True)
            token = form_token(client, "/staff/sessions/")
            got = client.post(url, {"csrfmiddlewaretoken": token}).status_code
            if got not in {404, 405}:  # 405: a GET-only page, whatever the ids
                wrong.append(f"POST {route.name} as {persona}: {got}")
            if answer(client, url) not in {N, M}:
                wrong.append(f"GET {route.name} as {persona}: not 404")
    assert not wrong, "\n".join(wrong)
