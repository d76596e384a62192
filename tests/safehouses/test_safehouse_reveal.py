"""``safehouse_reveal``: the address, contact and rules for logistics of the house's desk only,
each reveal an audit entry (with no text)."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound
from passage.safehouses import services
from passage.safehouses.models import SafeHouse
from tests.safehouses.conftest import ADDRESS, CONTACT, RULES

pytestmark = pytest.mark.django_db


def test_logistics_sees_the_address_and_each_view_is_audited(
    house: SafeHouse, logistics: User
) -> None:
    for _ in range(2):
        shown = services.safehouse_reveal(house=house, actor=logistics)
        assert (shown.address, shown.contact, shown.rules) == (ADDRESS, CONTACT, RULES)
    entries = AuditEntry.objects.filter(action="safehouse.address_viewed")
    assert entries.count() == 2
    assert {e.object_id for e in entries} == {str(house.pk)}
    assert all(ADDRESS not in str(vars(e)) for e in entries)


@pytest.mark.parametrize("who", ["caseworker", "desk_lead", "admin", "logistics_south"])
def test_nobody_else_sees_it(house: SafeHouse, who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(CaseNotFound):
        services.safehouse_reveal(house=house, actor=user)
    assert not AuditEntry.objects.filter(action="safehouse.address_viewed").exists()
