"""Fixtures of the push tests: a desk's people, each with a webhook on one local server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from passage.accounts.models import User
from passage.alerts import rota
from tests.alerts.helpers import Webhook, webhook_server


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with webhook_server() as hook:
        yield hook


@pytest.fixture
def hooked(
    webhook: Webhook, caseworker: User, colleague: User, desk_lead: User, admin: User
) -> Webhook:
    """Every persona's pushes go to their own path of the local webhook server."""
    for user in (caseworker, colleague, desk_lead, admin):
        rota.destination_set(
            user=user, webhook_url=webhook.url(f"/{user.username}"), email="", actor=admin
        )
    return webhook
