"""Four-eyes approvals: relocation (after verification) and the emergency track (before it).

Relocation: one staff member requests it for a verified case in assessment; a different person
with ``Perm.RELOCATION_APPROVE`` (verifier or admin) who works the case decides, with a fresh
second factor (the view asks for step-up); approving moves the case to "approved". Rejections
keep their comments.

Emergency help (a bus ticket tonight): a capped amount for a coded purpose, no place recorded,
approved by two different people of whom one leads the case's desk, before verification is
done. It must be reviewed within 72 hours; ``emergency_reviews_sweep`` alerts when it was not.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm, Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import ApprovalRefused
from passage.cases.models import Approval, Case, CaseEvent
from passage.cases.services import common, workflow
from passage.cases.workflow import OPEN_STAGES, Stage

EMERGENCY_REVIEW = dt.timedelta(hours=72)
MIN_COMMENT = 10


def _leads(user: User, case: Case) -> bool:
    """Whether ``user`` leads the case's desk and may approve emergency help as its lead."""
    return (
        user.may(Perm.EMERGENCY_APPROVE)
        and user.memberships.filter(desk_id=case.desk_id, is_lead=True).exists()
    )


def relocation_request(
    *, case: Case, comment: str, actor: User, request_id: str | None = None
) -> Approval:
    """Ask a second person to approve relocation for ``case``."""
    access.require_working(actor, case)
    comment = comment.strip()
    if len(comment) < MIN_COMMENT:
        raise ApprovalRefused(
            _("Say why this case is ready for relocation (10 characters or more).")
        )
    with audit.atomic():
        locked = common.lock(case)
        if locked.stage != Stage.ASSESSMENT:
            raise ApprovalRefused(_("Relocation is requested for a case in assessment."))
        if locked.verification_outcome != Case.Verification.VERIFIED:
            raise ApprovalRefused(
                _("Relocation can be requested only after verification has the outcome “Verified”.")
            )
        if locked.is_frozen:
            raise ApprovalRefused(_("The case is frozen."))
        return _ask(
            locked,
            actor=actor,
            kind=Approval.Kind.RELOCATION,
            comment=comment,
            waiting=_("A relocation approval is waiting already."),
            action="approval.requested",
            event=(CaseEvent.Kind.APPROVAL, "relocation_requested"),
            alert=(kinds.APPROVAL_WAITING, Alert.Severity.INFO, Role.VERIFIER),
            request_id=request_id,
        )


def emergency_cap() -> tuple[int, str]:
    return settings.PASSAGE_EMERGENCY_CAP, settings.PASSAGE_EMERGENCY_CURRENCY


def emergency_request(
    *,
    case: Case,
    amount: int,
    purpose: str,
    comment: str,
    actor: User,
    request_id: str | None = None,
) -> Approval:
    """Ask for immediate help before verification is complete (capped; no place recorded)."""
    access.require_working(actor, case)
    cap, currency = emergency_cap()
    if not 1 <= amount <= cap:
        raise ApprovalRefused(
            _("Emergency help is between 1 and %(cap)d %(currency)s.")
            % {"cap": cap, "currency": currency}
        )
    if purpose not in Approval.Purpose.values:
        raise ApprovalRefused(_("Choose what the help is for."))
    comment = comment.strip()
    if len(comment) < MIN_COMMENT:
        raise ApprovalRefused(_("Say why it cannot wait (10 characters or more)."))
    with audit.atomic():
        locked = common.lock(case)
        if locked.stage not in OPEN_STAGES:
            raise ApprovalRefused(_("The case is closed."))
        if locked.is_frozen:
            raise ApprovalRefused(_("The case is frozen."))
        return _ask(
            locked,
            actor=actor,
            kind=Approval.Kind.EMERGENCY,
            comment=comment,
            waiting=_("An emergency request is waiting already."),
            action="emergency.requested",
            event=(CaseEvent.Kind.EMERGENCY, "requested"),
            alert=(kinds.EMERGENCY_WAITING, Alert.Severity.WARNING, Role.DESK_LEAD),
            request_id=request_id,
            amount=amount,
            currency=currency,
            purpose=purpose,
        )


def _ask(
    locked: Case,
    *,
    actor: User,
    kind: str,
    comment: str,
    waiting: str,
    action: str,
    event: tuple[str, str],
    alert: tuple[str, str, Role],
    request_id: str | None,
    **fields: object,
) -> Approval:
    """Create a waiting request on a locked case, with its timeline line, audit entry and the
    alert for those who can decide it (on the case's desk)."""
    if locked.approvals.filter(kind=kind, status=Approval.Status.PENDING).exists():
        raise ApprovalRefused(waiting)
    approval = Approval.objects.create(
        case=locked, kind=kind, requested_by=actor, request_comment=comment, **fields
    )
    common.event(locked, event[0], actor=actor, detail=event[1])
    common.record(
        actor,
        action,
        locked,
        object_type="approval",
        object_id=str(approval.pk),
        request_id=request_id,
    )
    code, severity, role = alert
    alert_raise(
        code=code,
        severity=severity,
        target_role=role,
        target_desk=locked.desk,
        case_reference=locked.reference,
        object_type="case",
        object_id=str(locked.pk),
        actor=actor,
        request_id=request_id,
    )
    return approval


def decision_refusal(approval: Approval, actor: User) -> str | None:
    """Why ``actor`` may not decide ``approval`` (a message), or None."""
    if approval.status != Approval.Status.PENDING:
        return _("This approval was decided already.")
    if approval.requested_by_id == actor.pk:
        return _("You asked for this approval: a different person must decide it.")
    case = approval.case
    if approval.kind == Approval.Kind.RELOCATION and not actor.may(Perm.RELOCATION_APPROVE):
        return _("Only a verifier (or an admin who works this case) can approve relocation.")
    if approval.kind == Approval.Kind.EMERGENCY and not actor.may(Perm.CASES_WORK):
        return _("Only staff who work this case can approve emergency help.")
    if approval.kind == Approval.Kind.EMERGENCY and not (
        _leads(actor, case) or _leads(approval.requested_by, case)
    ):
        return _("Emergency help needs the lead of this case's desk as one of the two people.")
    return None


def approval_decide(
    *,
    approval: Approval,
    approve: bool,
    comment: str,
    actor: User,
    request_id: str | None = None,
) -> Approval:
    """Approve or reject; a rejection needs a comment, and every comment is kept."""
    case = approval.case
    access.require_working(actor, case, Perm.CONSOLE)
    comment = comment.strip()
    if not approve and len(comment) < MIN_COMMENT:
        raise ApprovalRefused(_("Say why you reject it (10 characters or more)."))
    with audit.atomic():
        locked_case = common.lock(case)
        approval = Approval.objects.select_for_update().get(pk=approval.pk, case=locked_case)
        refusal = decision_refusal(approval, actor)
        if refusal:
            raise ApprovalRefused(refusal)
        if approve and locked_case.is_frozen:
            # A request made before the freeze: nothing goes to a suspected-hostile case.
            raise ApprovalRefused(_("The case is frozen."))
        now = timezone.now()
        approval.status = Approval.Status.APPROVED if approve else Approval.Status.REJECTED
        approval.decided_by = actor
        approval.decided_at = now
        approval.decision_comment = comment or None
        fields = ["status", "decided_by", "decided_at", "decision_comment"]
        if approve and approval.kind == Approval.Kind.EMERGENCY:
            approval.review_due_at = now + EMERGENCY_REVIEW
            fields.append("review_due_at")
            if (
                locked_case.next_deadline is None
                or approval.review_due_at < locked_case.next_deadline
            ):
                locked_case.next_deadline = approval.review_due_at
                locked_case.save(update_fields=["next_deadline"])
        approval.save(update_fields=fields)
        verb = "approved" if approve else "rejected"
        kind = (
            CaseEvent.Kind.EMERGENCY
            if approval.kind == Approval.Kind.EMERGENCY
            else CaseEvent.Kind.APPROVAL
        )
        common.event(locked_case, kind, actor=actor, detail=f"{approval.kind}_{verb}", note=comment)
        common.record(
            actor,
            f"approval.{verb}",
            locked_case,
            object_type="approval",
            object_id=str(approval.pk),
            request_id=request_id,
        )
        if approve and approval.kind == Approval.Kind.RELOCATION:
            workflow.case_transition(
                case=locked_case,
                to_stage=Stage.APPROVED,
                actor=actor,
                reason=comment,
                request_id=request_id,
                _via_approval=True,
            )
    return approval


def approval_withdraw(*, approval: Approval, actor: User, request_id: str | None = None) -> None:
    """The requester (or the desk's lead) withdraws a waiting request."""
    case = approval.case
    access.require_working(actor, case)
    with audit.atomic():
        locked_case = common.lock(case)
        approval = Approval.objects.select_for_update().get(pk=approval.pk, case=locked_case)
        if approval.status != Approval.Status.PENDING:
            raise ApprovalRefused(_("This approval was decided already."))
        if approval.requested_by_id != actor.pk and not _leads(actor, locked_case):
            raise ApprovalRefused(
                _("Only the person who asked, or the desk lead, can withdraw it.")
            )
        approval.status = Approval.Status.WITHDRAWN
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_by", "decided_at"])
        common.event(
            locked_case, CaseEvent.Kind.APPROVAL, actor=actor, detail=f"{approval.kind}_withdrawn"
        )
        common.record(
            actor,
            "approval.withdrawn",
            locked_case,
            object_type="approval",
            object_id=str(approval.pk),
            request_id=request_id,
        )


def emergency_review_record(
    *, approval: Approval, note: str, actor: User, request_id: str | None = None
) -> Approval:
    """Review approved emergency help (due within 72 hours of the approval)."""
    case = approval.case
    access.require_working(actor, case)
    note = note.strip()
    if len(note) < MIN_COMMENT:
        raise ApprovalRefused(_("Write what the review found (10 characters or more)."))
    with audit.atomic():
        locked_case = common.lock(case)
        approval = Approval.objects.select_for_update().get(pk=approval.pk, case=locked_case)
        if approval.kind != Approval.Kind.EMERGENCY or approval.status != Approval.Status.APPROVED:
            raise ApprovalRefused(_("Only approved emergency help is reviewed."))
        if approval.reviewed_at is not None:
            raise ApprovalRefused(_("This emergency help was reviewed already."))
        approval.reviewed_at = timezone.now()
        approval.reviewed_by = actor
        approval.review_note = note
        approval.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        _refresh_deadline(locked_case)
        common.event(
            locked_case, CaseEvent.Kind.EMERGENCY, actor=actor, detail="reviewed", note=note
        )
        common.record(
            actor,
            "emergency.reviewed",
            locked_case,
            object_type="approval",
            object_id=str(approval.pk),
            request_id=request_id,
        )
    return approval


def _refresh_deadline(case: Case) -> None:
    due = (
        Approval.objects.filter(
            case=case,
            kind=Approval.Kind.EMERGENCY,
            status=Approval.Status.APPROVED,
            reviewed_at__isnull=True,
        )
        .order_by("review_due_at")
        .values_list("review_due_at", flat=True)
        .first()
    )
    if case.next_deadline != due:
        case.next_deadline = due
        case.save(update_fields=["next_deadline"])


def emergency_reviews_sweep(*, now: dt.datetime | None = None) -> int:
    """Alert the desk lead (and the assignee) of every emergency help not reviewed in time.

    Idempotent: each overdue approval alerts once. Returns how many alerted.
    """
    moment = now or timezone.now()
    overdue = Approval.objects.filter(
        kind=Approval.Kind.EMERGENCY,
        status=Approval.Status.APPROVED,
        reviewed_at__isnull=True,
        review_alerted_at__isnull=True,
        review_due_at__lt=moment,
    ).select_related("case", "case__desk", "case__assignee")
    alerted = 0
    for approval in overdue:
        with audit.atomic():
            claimed = Approval.objects.filter(
                pk=approval.pk, review_alerted_at__isnull=True
            ).update(review_alerted_at=moment)
            if not claimed:
                continue
            case = approval.case
            alert_raise(
                code=kinds.EMERGENCY_REVIEW_OVERDUE,
                severity=Alert.Severity.WARNING,
                target_role=Role.DESK_LEAD,
                target_desk=case.desk,
                case_reference=case.reference,
                object_type="case",
                object_id=str(case.pk),
                actor="system",
            )
            if case.assignee is not None:
                alert_raise(
                    code=kinds.EMERGENCY_REVIEW_OVERDUE,
                    severity=Alert.Severity.WARNING,
                    target_user=case.assignee,
                    case_reference=case.reference,
                    object_type="case",
                    object_id=str(case.pk),
                    actor="system",
                )
            audit.record(
                actor="system",
                action="emergency.review_overdue",
                object_type="approval",
                object_id=str(approval.pk),
            )
        alerted += 1
    return alerted
