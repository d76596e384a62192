"""services.approvals: four-eyes relocation approval (after verification)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.queries import alerts_for
from passage.cases.exceptions import ApprovalRefused, CaseError, CaseNotFound, TransitionRefused
from passage.cases.models import Approval, Case, CaseEvent
from passage.cases.services import approvals, verification, workflow
from passage.cases.workflow import Stage
from tests.cases.helpers import (
    REASON,
    audit_entries,
    fresh,
    move,
    raw_value,
    to_assessment,
)
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

COMMENT = "verified, a pathway is open, ready to plan"


@pytest.fixture
def ready(open_case: Callable[..., Case], caseworker: User, verifier: User) -> Case:
    """A verified case in assessment."""
    return to_assessment(open_case(), caseworker, verifier)


def request(case: Case, actor: User, comment: str = COMMENT) -> Approval:
    return approvals.relocation_request(case=case, comment=comment, actor=actor)


def test_relocation_request_needs_assessment_and_verified(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    early = move(open_case(), caseworker, Stage.SCREENING, Stage.VERIFICATION)
    with pytest.raises(ApprovalRefused, match="case in assessment"):
        request(early, caseworker)
    unverified = to_assessment(open_case("Other Person"), caseworker, verifier, verified=False)
    with pytest.raises(ApprovalRefused, match="only after verification"):
        request(unverified, caseworker)
    verification.verification_outcome_record(
        case=unverified,
        outcome=Case.Verification.NOT_VERIFIED,
        note="no way to confirm yet",
        actor=verifier,
    )
    with pytest.raises(ApprovalRefused, match="only after verification"):
        request(unverified, caseworker)
    assert not Approval.objects.exists()


def test_a_request_needs_a_comment_and_only_one_waits(ready: Case, caseworker: User) -> None:
    with pytest.raises(ApprovalRefused, match="10 characters"):
        request(ready, caseworker, comment="ready")
    request(ready, caseworker)
    with pytest.raises(ApprovalRefused, match="waiting already"):
        request(ready, caseworker)
    assert Approval.objects.filter(case=ready).count() == 1


def test_a_request_alerts_the_verifiers_of_the_desk(
    ready: Case, caseworker: User, verifier: User, colleague: User
) -> None:
    approval = request(ready, caseworker)
    waiting = alerts_for(verifier).filter(code=kinds.APPROVAL_WAITING)
    assert [a.case_reference for a in waiting] == [ready.reference]
    assert not alerts_for(caseworker).filter(code=kinds.APPROVAL_WAITING).exists()
    assert not alerts_for(colleague).filter(code=kinds.APPROVAL_WAITING).exists()
    assert audit_entries("approval.requested", approval.pk)
    raw = raw_value("cases_approval", "request_comment", approval.pk)
    assert isinstance(raw, bytes) and COMMENT.encode() not in raw


def test_approval_moves_the_case_to_approved(ready: Case, caseworker: User, verifier: User) -> None:
    approval = request(ready, caseworker)
    decided = approvals.approval_decide(
        approval=approval, approve=True, comment="all checks in order", actor=verifier
    )
    assert decided.status == Approval.Status.APPROVED
    assert decided.decided_by == verifier
    case = fresh(ready)
    assert case.stage == Stage.APPROVED
    stage_event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STAGE, to_stage="approved")
    assert stage_event.actor == verifier
    details = set(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.APPROVAL).values_list(
            "detail", flat=True
        )
    )
    assert details == {"relocation_requested", "relocation_approved"}
    assert audit_entries("approval.approved", approval.pk)
    assert audit_entries("case.stage_changed", case.pk)[-1].actor == f"user:{verifier.pk}"
    # The case can now move on with plain transitions.
    planned = workflow.case_transition(case=case, to_stage=Stage.PLANNING, actor=caseworker)
    assert fresh(planned).stage == Stage.PLANNING


def test_the_requester_cannot_approve_their_own_request(
    ready: Case, verifier: User, second_verifier: User
) -> None:
    approval = request(ready, verifier)
    with pytest.raises(ApprovalRefused) as refused:
        approvals.approval_decide(approval=approval, approve=True, comment="", actor=verifier)
    assert str(refused.value) == "You asked for this approval: a different person must decide it."
    assert fresh(ready).stage == Stage.ASSESSMENT
    approvals.approval_decide(approval=approval, approve=True, comment="", actor=second_verifier)
    assert fresh(ready).stage == Stage.APPROVED


def test_a_caseworker_without_the_verifier_role_cannot_approve(
    ready: Case, caseworker: User, caseworker2: User, desk_lead: User
) -> None:
    approval = request(ready, caseworker)
    for actor in (caseworker2, desk_lead):
        with pytest.raises(ApprovalRefused) as refused:
            approvals.approval_decide(approval=approval, approve=True, comment="", actor=actor)
        assert str(refused.value) == (
            "Only a verifier (or an admin who works this case) can approve relocation."
        )
    assert fresh(ready).stage == Stage.ASSESSMENT
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING


def test_a_verifier_of_another_desk_cannot_see_the_request(
    ready: Case, caseworker: User, desk_south: Desk
) -> None:
    south_verifier = make_staff("south-verifier", Role.VERIFIER, desks=(desk_south,))
    approval = request(ready, caseworker)
    with pytest.raises(CaseNotFound):
        approvals.approval_decide(approval=approval, approve=True, comment="", actor=south_verifier)


def test_rejection_needs_a_comment_and_keeps_both_comments(
    ready: Case, caseworker: User, verifier: User
) -> None:
    approval = request(ready, caseworker)
    for short in ("", "no"):
        with pytest.raises(ApprovalRefused, match="why you reject"):
            approvals.approval_decide(
                approval=approval, approve=False, comment=short, actor=verifier
            )
    why = "the vouching partner withdrew its statement"
    rejected = approvals.approval_decide(
        approval=approval, approve=False, comment=why, actor=verifier
    )
    stored = Approval.objects.get(pk=rejected.pk)
    assert stored.status == Approval.Status.REJECTED
    assert (stored.request_comment, stored.decision_comment) == (COMMENT, why)
    assert fresh(ready).stage == Stage.ASSESSMENT
    event = CaseEvent.objects.get(case=ready, detail="relocation_rejected")
    assert event.note == why
    with pytest.raises(ApprovalRefused, match="decided already"):
        approvals.approval_decide(approval=approval, approve=True, comment="", actor=verifier)
    # A new request can follow a rejection.
    assert request(ready, caseworker).status == Approval.Status.PENDING


def test_approval_is_refused_once_verification_no_longer_says_verified(
    ready: Case, caseworker: User, verifier: User, second_verifier: User
) -> None:
    approval = request(ready, caseworker)
    verification.verification_outcome_record(
        case=ready,
        outcome=Case.Verification.NOT_VERIFIED,
        note="the document turned out to be a copy",
        actor=verifier,
    )
    with pytest.raises(CaseError) as refused:
        approvals.approval_decide(
            approval=approval, approve=True, comment="", actor=second_verifier
        )
    assert isinstance(refused.value, TransitionRefused | ApprovalRefused)
    assert "verification" in str(refused.value).lower()
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING
    assert fresh(ready).stage == Stage.ASSESSMENT


def test_approval_is_refused_when_the_case_left_assessment(
    ready: Case, caseworker: User, verifier: User
) -> None:
    approval = request(ready, caseworker)
    workflow.case_transition(
        case=ready, to_stage=Stage.ON_HOLD, actor=caseworker, reason="family emergency"
    )
    with pytest.raises(TransitionRefused, match="resumes at the stage it left"):
        approvals.approval_decide(approval=approval, approve=True, comment="", actor=verifier)
    assert fresh(ready).stage == Stage.ON_HOLD
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING


def test_withdrawal_by_the_requester_or_the_desk_lead_only(
    ready: Case, caseworker: User, caseworker2: User, desk_lead: User
) -> None:
    approval = request(ready, caseworker)
    with pytest.raises(ApprovalRefused, match="Only the person who asked"):
        approvals.approval_withdraw(approval=approval, actor=caseworker2)
    approvals.approval_withdraw(approval=approval, actor=desk_lead)
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.WITHDRAWN
    with pytest.raises(ApprovalRefused, match="decided already"):
        approvals.approval_withdraw(approval=approval, actor=caseworker)
    again = request(ready, caseworker)
    approvals.approval_withdraw(approval=again, actor=caseworker)
    assert Approval.objects.get(pk=again.pk).status == Approval.Status.WITHDRAWN


def test_move_to_approved_directly_is_refused_even_with_a_pending_request(
    ready: Case, caseworker: User, verifier: User
) -> None:
    request(ready, caseworker)
    with pytest.raises(TransitionRefused, match="needs four eyes"):
        workflow.case_transition(case=ready, to_stage=Stage.APPROVED, actor=verifier, reason=REASON)
