"""``safehouse_mark_compromised``: status, a flag and alerts for every current or planned stay
(not ended or cancelled ones), an audit entry, nothing deleted."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import assignment
from passage.safehouses import services
from passage.safehouses.models import ExposureFlag, SafeHouse, Stay
from tests.safehouses.conftest import days, today

pytestmark = pytest.mark.django_db

REASON = "A neighbour MrkReasonGudermes7 asked questions"


def test_current_and_planned_stays_are_flagged_and_alerted(
    make_case: Callable[..., Case],
    house: SafeHouse,
    logistics: User,
    caseworker: User,
    colleague: User,
    desk_north: Desk,
) -> None:
    current, planned, ended = make_case("Now"), make_case("Later"), make_case("Gone")
    stays = {
        c: services.stay_place(
            case=c, house=house, actor=logistics, planned_from=today(), planned_to=days(5)
        )
        for c in (current, planned, ended)
    }
    services.stay_arrive(stay=stays[current], actor=logistics, on=today())
    services.stay_arrive(stay=stays[ended], actor=logistics, on=today())
    services.stay_end(stay=stays[ended], actor=logistics, on=today())

    flags = services.safehouse_mark_compromised(house=house, actor=logistics, reason=REASON)

    assert {f.case for f in flags} == {current, planned}
    stored = SafeHouse.objects.get(pk=house.pk)
    assert stored.status == SafeHouse.Status.COMPROMISED
    assert stored.compromise_reason == REASON
    assert Stay.objects.filter(house=house).count() == 3  # nothing deleted
    alerts = Alert.objects.filter(code=kinds.SAFEHOUSE_COMPROMISED)
    assert {a.case_reference for a in alerts} == {current.reference, planned.reference}
    assert alerts.filter(target_role=Role.LOGISTICS).count() == 2
    # The desk's caseworker and logistics see them; a caseworker of another desk does not.
    assert alerts_for(caseworker).filter(code=kinds.SAFEHOUSE_COMPROMISED).count() == 2
    assert alerts_for(logistics).filter(code=kinds.SAFEHOUSE_COMPROMISED).count() == 2
    assert not alerts_for(colleague).filter(code=kinds.SAFEHOUSE_COMPROMISED).exists()
    assert AuditEntry.objects.filter(action="safehouse.compromised").count() == 1
    flagged = AuditEntry.objects.filter(action="safehouse.case_flagged")
    assert {e.object_id for e in flagged} == {str(current.pk), str(planned.pk)}
    assert not any(REASON in str(vars(e)) for e in AuditEntry.objects.all())


def test_an_assigned_case_alerts_its_assignee(
    make_case: Callable[..., Case], house: SafeHouse, logistics: User, caseworker: User
) -> None:
    case = make_case()
    assignment.case_assign(case=case, assignee=caseworker, actor=caseworker)
    services.stay_place(
        case=case, house=house, actor=logistics, planned_from=today(), planned_to=days(3)
    )
    services.safehouse_mark_compromised(house=house, actor=logistics, reason=REASON)
    assert Alert.objects.filter(code=kinds.SAFEHOUSE_COMPROMISED, target_user=caseworker).exists()


def test_a_compromised_house_takes_nobody_and_stays_compromised(
    verified_case: Case, house: SafeHouse, logistics: User
) -> None:
    services.safehouse_mark_compromised(house=house, actor=logistics, reason=REASON)
    with pytest.raises(NotAllowed):
        services.safehouse_mark_compromised(house=house, actor=logistics, reason=REASON)
    with pytest.raises(NotAllowed):
        services.stay_place(
            case=verified_case,
            house=house,
            actor=logistics,
            planned_from=today(),
            planned_to=days(2),
        )
    assert not ExposureFlag.objects.exists()


def test_a_reason_is_required_and_only_logistics_marks(
    house: SafeHouse, logistics: User, desk_lead: User
) -> None:
    with pytest.raises(InvalidInput):
        services.safehouse_mark_compromised(house=house, actor=logistics, reason="  ")
    with pytest.raises(CaseNotFound):
        services.safehouse_mark_compromised(house=house, actor=desk_lead, reason=REASON)
    assert SafeHouse.objects.get(pk=house.pk).status == SafeHouse.Status.OPEN
