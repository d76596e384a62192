"""Fixtures for the cases page tests: a North case with personal data to look for in pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from passage.cases.models import Case
from tests.cases.conftest import channel, person

Signed = Callable[..., Client]

NAME = "Zaurbek Testoyev"
LEGAL_NAME = "Zaurbek Magomedovich Testoyev"
HANDLE = "@zaur_quiet_95"
STORY = "They came to the flat on Tuesday night and took my phone."


@pytest.fixture
def north_case(open_case: Callable[..., Case]) -> Case:
    """A new case on the North desk, opened by the caseworker, with a name, a handle and a
    story (all encrypted) and plain operational facts."""
    return open_case(
        details=person(NAME, legal_name=LEGAL_NAME, pronouns="he/him"),
        channels=[channel(HANDLE, "telegram")],
        narrative=STORY,
        country="RU",
        region="Chechnya",
    )


@pytest.fixture
def south_case(open_case: Callable[..., Case], colleague: object, desk_south: object) -> Case:
    """A new case on the South desk, opened by the colleague."""
    return open_case("Southern Person", actor=colleague, desk=desk_south)
