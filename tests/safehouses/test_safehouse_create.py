"""``safehouse_create`` and ``safehouse_set_status``: logistics of the desk, checked input."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.safehouses import services
from passage.safehouses.models import SafeHouse

pytestmark = pytest.mark.django_db


def test_a_house_is_created_and_audited(house: SafeHouse) -> None:
    assert house.status == SafeHouse.Status.OPEN
    assert AuditEntry.objects.filter(action="safehouse.created", object_id=str(house.pk)).exists()


def test_code_names_are_unique(make_house: Callable[..., SafeHouse]) -> None:
    make_house("Birch")
    with pytest.raises(InvalidInput, match="code name"):
        make_house("birch")


@pytest.mark.parametrize("beds", [0, 201])
def test_beds_are_checked(make_house: Callable[..., SafeHouse], beds: int) -> None:
    with pytest.raises(InvalidInput):
        make_house(beds=beds)


def test_only_logistics_of_the_desk_creates(
    make_house: Callable[..., SafeHouse], caseworker: User, logistics: User, desk_south: Desk
) -> None:
    with pytest.raises(CaseNotFound):
        make_house(actor=caseworker)
    with pytest.raises(CaseNotFound):
        make_house(actor=logistics, desk=desk_south)
    assert not SafeHouse.objects.exists()


def test_status_changes_but_compromised_is_final(house: SafeHouse, logistics: User) -> None:
    services.safehouse_set_status(house=house, actor=logistics, status="full")
    assert SafeHouse.objects.get(pk=house.pk).status == "full"
    with pytest.raises(InvalidInput):
        services.safehouse_set_status(house=house, actor=logistics, status="compromised")
    services.safehouse_mark_compromised(house=house, actor=logistics, reason="seen by police")
    with pytest.raises(NotAllowed):
        services.safehouse_set_status(house=house, actor=logistics, status="open")
