"""services.approvals: the emergency track (capped help before verification, 72-hour review)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from pytest_django import Settings

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.cases.exceptions import ApprovalRefused, CaseNotFound
from passage.cases.models import Approval, Case, CaseEvent
from passage.cases.services import approvals, assignment, verification
from tests.cases.helpers import REASON, audit_entries, fresh, raw_value

pytestmark = pytest.mark.django_db

WHY = "sleeping outside tonight, family hunting her"


def ask(case: Case, actor: User, amount: int = 120, purpose: str = "transport") -> Approval:
    return approvals.emergency_request(
        case=case, amount=amount, purpose=purpose, comment=WHY, actor=actor
    )


def decide(approval: Approval, actor: User, approve: bool = True, comment: str = "") -> Approval:
    return approvals.approval_decide(
        approval=approval, approve=approve, comment=comment or "agreed, buy the ticket", actor=actor
    )


def test_the_cap_comes_from_settings(
    settings: Settings, open_case: Callable[..., Case], caseworker: User
) -> None:
    settings.PASSAGE_EMERGENCY_CAP = 150
    settings.PASSAGE_EMERGENCY_CURRENCY = "CAD"
    case = open_case()
    for amount in (0, 151, 300):
        with pytest.raises(ApprovalRefused) as refused:
            ask(case, caseworker, amount=amount)
        assert str(refused.value) == "Emergency help is between 1 and 150 CAD."
    approval = ask(case, caseworker, amount=150)
    assert (approval.amount, approval.currency) == (150, "CAD")


def test_a_request_needs_a_purpose_a_comment_and_no_other_waiting(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case()
    with pytest.raises(ApprovalRefused, match="what the help is for"):
        ask(case, caseworker, purpose="flat in Moscow")
    with pytest.raises(ApprovalRefused, match="cannot wait"):
        approvals.emergency_request(
            case=case, amount=50, purpose="food", comment="urgent", actor=caseworker
        )
    approval = ask(case, caseworker)
    assert approval.kind == Approval.Kind.EMERGENCY and approval.status == "pending"
    with pytest.raises(ApprovalRefused, match="waiting already"):
        ask(case, caseworker)
    raw = raw_value("cases_approval", "request_comment", approval.pk)
    assert isinstance(raw, bytes) and WHY.encode() not in raw


def test_a_request_before_verification_alerts_the_desk_lead(
    open_case: Callable[..., Case], caseworker: User, desk_lead: User, south_lead: User
) -> None:
    case = open_case()
    assert case.verification_outcome == ""
    ask(case, caseworker)
    assert alerts_for(desk_lead).filter(code=kinds.EMERGENCY_WAITING).count() == 1
    assert not alerts_for(south_lead).filter(code=kinds.EMERGENCY_WAITING).exists()
    assert not alerts_for(caseworker).filter(code=kinds.EMERGENCY_WAITING).exists()


def test_the_requester_cannot_approve_their_own_request(
    open_case: Callable[..., Case], desk_lead: User
) -> None:
    approval = ask(open_case(), desk_lead)
    with pytest.raises(ApprovalRefused, match="a different person must decide"):
        decide(approval, desk_lead)


def test_two_people_neither_of_them_the_desk_lead_is_refused(
    open_case: Callable[..., Case], caseworker: User, caseworker2: User, verifier: User
) -> None:
    approval = ask(open_case(), caseworker)
    for actor in (caseworker2, verifier):
        with pytest.raises(ApprovalRefused) as refused:
            decide(approval, actor)
        assert "lead of this case's desk" in str(refused.value)
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING


def test_another_desks_lead_is_not_the_desk_lead(
    open_case: Callable[..., Case], caseworker: User, south_lead: User
) -> None:
    approval = ask(open_case(), caseworker)
    with pytest.raises(CaseNotFound):
        decide(approval, south_lead)


@pytest.mark.parametrize("lead_requests", [False, True])
def test_approved_by_two_people_one_of_them_the_desk_lead(
    lead_requests: bool, open_case: Callable[..., Case], caseworker: User, desk_lead: User
) -> None:
    case = open_case()
    requester, approver = (desk_lead, caseworker) if lead_requests else (caseworker, desk_lead)
    approval = ask(case, requester)
    before = timezone.now()
    decided = decide(approval, approver)
    after = timezone.now()
    assert decided.status == Approval.Status.APPROVED
    assert decided.requested_by != decided.decided_by
    assert decided.review_due_at is not None
    assert (
        before + dt.timedelta(hours=72) <= decided.review_due_at <= after + dt.timedelta(hours=72)
    )
    stored = fresh(case)
    assert stored.next_deadline == decided.review_due_at
    # Emergency help does not move the case: it is still new, and still unverified.
    assert (stored.stage, stored.verification_outcome) == ("new", "")
    assert CaseEvent.objects.filter(case=case, kind="emergency", detail="emergency_approved")
    assert audit_entries("approval.approved", approval.pk)


def test_rejection_needs_a_comment(
    open_case: Callable[..., Case], caseworker: User, desk_lead: User
) -> None:
    approval = ask(open_case(), caseworker)
    with pytest.raises(ApprovalRefused, match="why you reject"):
        approvals.approval_decide(approval=approval, approve=False, comment="no", actor=desk_lead)
    rejected = decide(approval, desk_lead, approve=False, comment="a partner can host her instead")
    assert Approval.objects.get(pk=rejected.pk).decision_comment == "a partner can host her instead"
    assert Approval.objects.get(pk=rejected.pk).review_due_at is None


def test_frozen_cases_get_no_emergency_help(
    open_case: Callable[..., Case], caseworker: User, desk_lead: User, verifier: User
) -> None:
    case = open_case()
    approval = ask(case, caseworker)
    verification.verification_outcome_record(
        case=case,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="the phone number belongs to a police officer",
        actor=verifier,
    )
    # A request waiting from before the freeze cannot be approved any more...
    with pytest.raises(ApprovalRefused, match="frozen"):
        decide(approval, desk_lead)
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING
    # ...but it can be rejected, and nothing new can be asked.
    decide(approval, desk_lead, approve=False, comment="suspected hostile: no help")
    with pytest.raises(ApprovalRefused, match="frozen"):
        ask(case, caseworker)


def approved(case: Case, caseworker: User, desk_lead: User) -> Approval:
    return decide(ask(case, caseworker), desk_lead)


def overdue_alerts() -> list[Alert]:
    return list(Alert.objects.filter(code=kinds.EMERGENCY_REVIEW_OVERDUE).order_by("created_at"))


def test_sweep_alerts_once_when_the_review_is_overdue(
    open_case: Callable[..., Case], caseworker: User, desk_lead: User, south_lead: User
) -> None:
    case = open_case()
    assignment.case_assign(case=case, assignee=caseworker, actor=desk_lead)
    approval = approved(case, caseworker, desk_lead)
    due = Approval.objects.get(pk=approval.pk).review_due_at
    assert due is not None

    assert approvals.emergency_reviews_sweep(now=due - dt.timedelta(minutes=1)) == 0
    assert overdue_alerts() == []

    later = due + dt.timedelta(hours=1)
    assert approvals.emergency_reviews_sweep(now=later) == 1
    assert approvals.emergency_reviews_sweep(now=later + dt.timedelta(hours=5)) == 0
    alerts = overdue_alerts()
    assert len(alerts) == 2  # the desk's lead, and the assignee
    assert {a.case_reference for a in alerts} == {case.reference}
    assert alerts_for(desk_lead).filter(code=kinds.EMERGENCY_REVIEW_OVERDUE).count() == 1
    assert alerts_for(caseworker).filter(code=kinds.EMERGENCY_REVIEW_OVERDUE).count() == 1
    assert not alerts_for(south_lead).filter(code=kinds.EMERGENCY_REVIEW_OVERDUE).exists()
    assert Approval.objects.get(pk=approval.pk).review_alerted_at == later
    assert audit_entries("emergency.review_overdue", approval.pk)


def test_sweep_does_not_alert_reviewed_help(
    open_case: Callable[..., Case], caseworker: User, desk_lead: User
) -> None:
    case = open_case()
    approval = approved(case, caseworker, desk_lead)
    with pytest.raises(ApprovalRefused, match="10 characters"):
        approvals.emergency_review_record(approval=approval, note="ok", actor=caseworker)
    reviewed = approvals.emergency_review_record(
        approval=approval, note="she reached the shelter, ticket used", actor=caseworker
    )
    assert reviewed.reviewed_by == caseworker
    assert fresh(case).next_deadline is None
    with pytest.raises(ApprovalRefused, match="reviewed already"):
        approvals.emergency_review_record(approval=approval, note=REASON, actor=caseworker)
    assert approvals.emergency_reviews_sweep(now=timezone.now() + dt.timedelta(days=10)) == 0
    assert overdue_alerts() == []


def test_only_approved_emergency_help_is_reviewed(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    approval = ask(open_case(), caseworker)
    with pytest.raises(ApprovalRefused, match="Only approved emergency help"):
        approvals.emergency_review_record(approval=approval, note=REASON, actor=caseworker)
    assert approvals.emergency_reviews_sweep(now=timezone.now() + dt.timedelta(days=10)) == 0


def test_the_next_deadline_follows_the_earliest_unreviewed_help(
    open_case: Callable[..., Case], caseworker: User, desk_lead: User
) -> None:
    case = open_case()
    first = approved(case, caseworker, desk_lead)
    second = approved(case, caseworker, desk_lead)
    first_due = Approval.objects.get(pk=first.pk).review_due_at
    second_due = Approval.objects.get(pk=second.pk).review_due_at
    assert first_due is not None and second_due is not None and first_due <= second_due
    assert fresh(case).next_deadline == first_due
    approvals.emergency_review_record(
        approval=first, note="first ticket was used", actor=caseworker
    )
    assert fresh(case).next_deadline == second_due
