"""Fixtures for the drafts tests: a North case (to draft its story) and a second-factor user."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.cases.models import Case
from tests.accounts.conftest import alice, alice_secret
from tests.cases.conftest import open_case, partner_org, verifier

__all__ = ["alice", "alice_secret", "open_case", "partner_org", "verifier"]


@pytest.fixture
def north_case(open_case: Callable[..., Case]) -> Case:
    return open_case("Drafted Person", narrative="The first version of the story.")


def story_key(case: Case) -> str:
    return f"/staff/cases/{case.pk}/story/edit/#narrative"
