"""``case_desk_move``: only a lead of the receiving desk; the desk event, priority, and an
assignee who does not work the new desk taken off."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent, DeskPriority
from passage.cases.services import assignment, verification
from passage.cases.services.desks import case_desk_move
from tests.cases.helpers import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_case(open_case: Callable[..., Case]) -> Case:
    return open_case("Moving Person")


def test_the_receiving_lead_moves_a_case(
    north_case: Case, south_lead: User, desk_south: Desk, caseworker: User
) -> None:
    DeskPriority.objects.create(desk=desk_south, boost=15)
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    before = fresh(north_case).priority_score
    assert case_desk_move(case=north_case, to_desk=desk_south, actor=south_lead, note="moving")
    case = fresh(north_case)
    assert case.desk_id == desk_south.pk and case.assignee_id is None
    assert case.priority_score == before + 15
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", "detail"))
    assert (CaseEvent.Kind.DESK, "moved") in kinds
    assert kinds[-1] == (CaseEvent.Kind.ASSIGNED, "unassigned")
    actions = list(
        AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert actions[-2:] == ["case.desk_moved", "case.assigned"]


@pytest.mark.parametrize("persona", ["desk_lead", "colleague", "caseworker"])
def test_nobody_else_moves_it(
    request: pytest.FixtureRequest, north_case: Case, desk_south: Desk, persona: str
) -> None:
    with pytest.raises(NotAllowed):
        case_desk_move(case=north_case, to_desk=desk_south, actor=request.getfixturevalue(persona))
    assert fresh(north_case).desk_id != desk_south.pk


def test_a_frozen_case_or_the_same_desk_is_refused(
    north_case: Case,
    desk_lead: User,
    desk_north: Desk,
    south_lead: User,
    desk_south: Desk,
    verifier: User,
) -> None:
    with pytest.raises(InvalidInput):
        case_desk_move(case=north_case, to_desk=desk_north, actor=desk_lead)
    verification.verification_outcome_record(
        case=north_case,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="matches a known provocation",
        actor=verifier,
    )
    with pytest.raises(NotAllowed):
        case_desk_move(case=north_case, to_desk=desk_south, actor=south_lead)
