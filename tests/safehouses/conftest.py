"""Fixtures for the safe-house tests: the cases fixtures, logistics staff on the North and South
desks, a verified North case, and houses made through the real service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.safehouses import services
from passage.safehouses.models import SafeHouse
from tests.cases.conftest import open_case, partner_org, verifier  # noqa: F401 -- fixtures
from tests.cases.helpers import verify
from tests.cases.views.conftest import north_case, south_case  # noqa: F401 -- fixtures
from tests.personas import make_staff

ADDRESS = "ulitsa Marker-Safehouse 17, kv 4"
CONTACT = "Aunt Zarema +7 900 000 11 22"
RULES = "No phones by the window"


@pytest.fixture
def logistics(desk_north: Desk) -> User:
    return make_staff("logistics", Role.LOGISTICS, desks=(desk_north,))


@pytest.fixture
def logistics_south(desk_south: Desk) -> User:
    return make_staff("logistics_south", Role.LOGISTICS, desks=(desk_south,))


@pytest.fixture
def verified_case(north_case: Case, verifier: User) -> Case:  # noqa: F811
    return verify(north_case, verifier)


@pytest.fixture
def make_case(open_case: Callable[..., Case], verifier: User) -> Callable[..., Case]:  # noqa: F811
    """A verified North case with ``household`` people."""

    def make(name: str = "Placed Person", household: int = 1) -> Case:
        case = verify(open_case(name), verifier)
        Case.objects.filter(pk=case.pk).update(household_size=household)
        return Case.objects.get(pk=case.pk)

    return make


@pytest.fixture
def make_house(logistics: User, desk_north: Desk) -> Callable[..., SafeHouse]:
    def make(
        code_name: str = "Birch", beds: int = 4, desk: Desk | None = None, actor: User | None = None
    ) -> SafeHouse:
        return services.safehouse_create(
            actor=actor or logistics,
            desk=desk or desk_north,
            code_name=code_name,
            region="Moscow oblast",
            beds=beds,
            address=ADDRESS,
            contact=CONTACT,
            rules=RULES,
        )

    return make


@pytest.fixture
def house(make_house: Callable[..., SafeHouse]) -> SafeHouse:
    return make_house()


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)
