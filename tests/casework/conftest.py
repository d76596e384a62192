"""Fixtures for the casework tests: the cases tests' personas and cases, and a break-glass
reader. Everything is made through the real services."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.alerts import services as alert_services
from passage.cases.models import Case
from passage.cases.queries import CaseView, case_for
from tests.cases.conftest import caseworker2, open_case, partner_org, south_lead
from tests.cases.views.conftest import north_case, south_case

__all__ = ["caseworker2", "north_case", "open_case", "partner_org", "south_case", "south_lead"]


def view_of(user: User, case: Case) -> CaseView:
    view = case_for(user, case.pk)
    assert view is not None
    return view


@pytest.fixture
def break_glass(colleague: User, north_case: Case) -> User:
    """The South colleague, with a break-glass grant to the North case."""
    alert_services.break_glass_open(
        user=colleague,
        case_id=north_case.pk,
        desk_id=north_case.desk_id,
        reason="the North desk is offline and the person called our hotline",
    )
    return colleague
