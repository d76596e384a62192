"""Handing a case over to another desk: request (the receiving lead is alerted, content-free),
accept (only a lead of the receiving desk; the case moves), decline, withdraw; all audited."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent
from passage.cases.services import assignment
from passage.workload import services
from passage.workload.models import DeskTransfer
from tests.cases.helpers import fresh
from tests.workload.support import entries

pytestmark = pytest.mark.django_db

WHY = "She reached the transit city on Monday; the South desk runs the safe houses there."


@pytest.fixture
def transfer(north_case: Case, caseworker: User, desk_south: Desk) -> DeskTransfer:
    return services.transfer_request(
        case=north_case, to_desk=desk_south, note=WHY, actor=caseworker
    )


def test_a_request_alerts_the_receiving_lead_with_reference_and_kind_only(
    transfer: DeskTransfer, north_case: Case, south_lead: User, desk_lead: User, colleague: User
) -> None:
    alert = Alert.objects.get(code=kinds.DESK_TRANSFER_REQUESTED)
    assert alert.case_reference == north_case.reference
    assert (alert.object_type, alert.object_id) == ("desk_transfer", str(transfer.pk))
    assert alert.details == ""
    assert alert in alerts_for(south_lead)
    assert alert not in alerts_for(colleague)  # a South caseworker, not its lead
    assert alert not in alerts_for(desk_lead)  # the North lead
    assert len(entries("workload.transfer_requested", str(transfer.pk))) == 1
    assert fresh(north_case).desk.name == "North Caucasus"  # nothing moves before acceptance


def test_the_note_is_encrypted(transfer: DeskTransfer) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM workload_desktransfer")
        (stored,) = cursor.fetchone()
    assert WHY.encode() not in bytes(stored)
    assert DeskTransfer.objects.get(pk=transfer.pk).note == WHY


def test_the_south_lead_accepts_and_the_case_moves(
    transfer: DeskTransfer,
    north_case: Case,
    south_lead: User,
    desk_south: Desk,
    caseworker: User,
) -> None:
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    services.transfer_accept(transfer=transfer, actor=south_lead)
    case = fresh(north_case)
    assert case.desk_id == desk_south.pk
    assert case.assignee_id is None  # the North caseworker does not work South cases
    moved = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.DESK)
    assert moved.note == WHY and moved.actor_id == south_lead.pk
    transfer.refresh_from_db()
    assert transfer.status == DeskTransfer.Status.ACCEPTED
    assert transfer.decided_by_id == south_lead.pk and transfer.decided_at is not None
    assert len(entries("case.desk_moved", str(case.pk))) == 1
    assert len(entries("workload.transfer_accepted", str(transfer.pk))) == 1


def test_an_assignee_who_works_both_desks_keeps_the_case(
    north_case: Case, both_desks: User, desk_south: Desk, south_lead: User, caseworker: User
) -> None:
    assignment.case_assign(case=north_case, assignee=both_desks, actor=caseworker)
    transfer = services.transfer_request(
        case=north_case, to_desk=desk_south, note="", actor=caseworker
    )
    services.transfer_accept(transfer=transfer, actor=south_lead)
    assert fresh(north_case).assignee_id == both_desks.pk


@pytest.mark.parametrize("persona", ["colleague", "desk_lead", "caseworker", "admin"])
def test_nobody_but_a_lead_of_the_receiving_desk_accepts(
    request: pytest.FixtureRequest, transfer: DeskTransfer, north_case: Case, persona: str
) -> None:
    with pytest.raises(NotAllowed):
        services.transfer_accept(transfer=transfer, actor=request.getfixturevalue(persona))
    assert fresh(north_case).desk.name == "North Caucasus"
    transfer.refresh_from_db()
    assert transfer.status == DeskTransfer.Status.REQUESTED


def test_a_colleague_who_becomes_lead_of_south_may_accept(
    transfer: DeskTransfer, colleague: User, desk_south: Desk, north_case: Case
) -> None:
    colleague.memberships.filter(desk=desk_south).update(is_lead=True)
    fresh_colleague = User.objects.get(pk=colleague.pk)
    services.transfer_accept(transfer=transfer, actor=fresh_colleague)
    assert fresh(north_case).desk_id == desk_south.pk


def test_decline_keeps_the_case_where_it_is(
    transfer: DeskTransfer, south_lead: User, north_case: Case
) -> None:
    services.transfer_decline(transfer=transfer, actor=south_lead)
    transfer.refresh_from_db()
    assert transfer.status == DeskTransfer.Status.DECLINED
    assert fresh(north_case).desk.name == "North Caucasus"
    assert len(entries("workload.transfer_declined", str(transfer.pk))) == 1
    with pytest.raises(InvalidInput):
        services.transfer_accept(transfer=transfer, actor=south_lead)


def test_the_requester_or_the_origin_lead_withdraws(
    transfer: DeskTransfer, caseworker2: User, desk_lead: User, south_lead: User
) -> None:
    with pytest.raises(NotAllowed):
        services.transfer_withdraw(transfer=transfer, actor=caseworker2)
    with pytest.raises(NotAllowed):
        services.transfer_withdraw(transfer=transfer, actor=south_lead)
    services.transfer_withdraw(transfer=transfer, actor=desk_lead)
    transfer.refresh_from_db()
    assert transfer.status == DeskTransfer.Status.WITHDRAWN
    assert len(entries("workload.transfer_withdrawn", str(transfer.pk))) == 1


def test_one_waiting_request_per_case_and_bad_targets_refused(
    transfer: DeskTransfer, north_case: Case, caseworker: User, desk_south: Desk, desk_north: Desk
) -> None:
    with pytest.raises(InvalidInput):
        services.transfer_request(case=north_case, to_desk=desk_south, note="", actor=caseworker)
    services.transfer_withdraw(transfer=transfer, actor=caseworker)
    with pytest.raises(InvalidInput):
        services.transfer_request(case=north_case, to_desk=desk_north, note="", actor=caseworker)


@pytest.mark.parametrize("persona", ["colleague", "south_lead", "admin", "partner_user"])
def test_only_who_works_the_case_asks(
    request: pytest.FixtureRequest, north_case: Case, desk_south: Desk, persona: str
) -> None:
    from passage.cases.exceptions import CaseError

    with pytest.raises(CaseError):
        services.transfer_request(
            case=north_case, to_desk=desk_south, note="", actor=request.getfixturevalue(persona)
        )
    assert not DeskTransfer.objects.exists()
