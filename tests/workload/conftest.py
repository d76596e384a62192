"""Fixtures for the workload tests: the cases fixtures (personas on desks, cases opened through
the real services) plus a leaver with many cases and the South desk's lead.

Personas: ``desk_lead`` leads North, ``south_lead`` leads South, ``caseworker`` and
``caseworker2`` work North, ``colleague`` works South, ``both`` works both desks.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import assignment
from tests.cases.conftest import (  # noqa: F401 -- fixtures shared with the cases tests
    both_desks,
    caseworker2,
    open_case,
    other_partner_org,
    partner_org,
    screener,
    south_lead,
    verifier,
)
from tests.cases.views.conftest import north_case, south_case  # noqa: F401
from tests.personas import make_staff


@pytest.fixture
def leaver(desk_north: Desk) -> User:
    """A North caseworker who is leaving."""
    return make_staff("leaver", Role.CASEWORKER, desks=(desk_north,))


@pytest.fixture
def leaver_cases(
    open_case: Callable[..., Case],  # noqa: F811
    leaver: User,
    caseworker: User,
) -> Callable[[int], list[Case]]:
    """Open ``n`` North cases and assign them to the leaver."""

    def make(n: int) -> list[Case]:
        made = []
        for i in range(n):
            case = open_case(f"Person {i:02d}")
            assignment.case_assign(case=case, assignee=leaver, actor=caseworker)
            made.append(case)
        return made

    return make
