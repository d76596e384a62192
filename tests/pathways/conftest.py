"""Fixtures for the pathways tests: a logistics coordinator of the North desk, a programme
with a small quota, and the cases tests' personas and cases. Made through the real services."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.pathways.models import Programme
from passage.pathways.services.programmes import programme_create
from tests.cases.conftest import open_case, partner_org, south_partner_org
from tests.cases.views.conftest import north_case, south_case
from tests.personas import make_staff

__all__ = ["north_case", "open_case", "partner_org", "south_case", "south_partner_org"]

PROGRAMME_NAME = "Canada emergency visas 2017"


@pytest.fixture
def logistics(desk_north: Desk) -> User:
    return make_staff("logistics", Role.LOGISTICS, desks=(desk_north,))


@pytest.fixture
def programme(logistics: User) -> Programme:
    return programme_create(
        actor=logistics, kind=Programme.Kind.EMERGENCY_VISA, name=PROGRAMME_NAME, quota=2
    )
