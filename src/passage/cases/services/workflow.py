"""Moving a case through the workflow: the table in ``cases.workflow`` plus the checks that need
the case (verification, four-eyes approval, freezing, consent for a referral out)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import access, rollups, workflow
from passage.cases.exceptions import TransitionRefused
from passage.cases.models import Case, CaseEvent
from passage.cases.services import common
from passage.cases.workflow import Move, Stage

OUTCOME_OF_END = {
    Stage.DECLINED: Case.Outcome.DECLINED,
    Stage.REFERRED_OUT: Case.Outcome.REFERRED,
}
# How a case may end when it is closed (declined and referred out have their own outcome;
# "merged" only a merge sets).
CLOSING_OUTCOMES = frozenset(
    {
        Case.Outcome.RELOCATED,
        Case.Outcome.SETTLED,
        Case.Outcome.SAFE_LOCALLY,
        Case.Outcome.WITHDREW,
        Case.Outcome.LOST,
        Case.Outcome.OTHER,
    }
)
MIN_REASON = 3


def refusal_for(case: Case, to_stage: str, *, via_approval: bool = False) -> str | None:
    """Why ``case`` cannot move to ``to_stage`` now (a message for the user), or None.

    Reasons and consent are checked by ``case_transition``; this covers what the table and the
    case's own state say, so pages can offer only the moves that would work.
    """
    here = Stage(case.stage)
    try:
        there = Stage(to_stage)
    except ValueError:
        return _("Unknown stage.")
    rule = workflow.rule_for(here, there)
    if rule is None:
        return _("A case in “%(here)s” cannot be moved to “%(there)s”.") % {
            "here": here.label,
            "there": there.label,
        }
    if case.merged_into_id is not None:
        return _("This case was merged into another one; work on that case instead.")
    if rule.needs_verified and case.verification_outcome != Case.Verification.VERIFIED:
        return _("A case can be approved only after verification has the outcome “Verified”.")
    if rule.needs_approval and not via_approval:
        return _(
            "Moving to “Approved” needs four eyes: request a relocation approval, and a "
            "different person with the verifier role approves it."
        )
    if case.is_frozen and rule.move in {Move.FORWARD, Move.RESUME, Move.REOPEN}:
        return _(
            "The case is frozen (suspected hostile): it cannot move on until its desk lead "
            "unfreezes it."
        )
    if (
        rule.move is Move.RESUME
        and case.paused_from
        and workflow.position(there) > workflow.position(case.paused_from)
    ):
        return _("A paused case resumes at the stage it left (“%(stage)s”) or earlier.") % {
            "stage": Stage(case.paused_from).label
        }
    return None


def allowed_targets(case: Case) -> list[Stage]:
    """Stages the case can be moved to with a plain transition now."""
    return [s for s in workflow.targets_from(case.stage) if refusal_for(case, s) is None]


def case_transition(
    *,
    case: Case,
    to_stage: str,
    actor: User,
    reason: str = "",
    outcome: str = "",
    referred_to: PartnerOrganisation | None = None,
    request_id: str | None = None,
    now: dt.datetime | None = None,
    _via_approval: bool = False,
) -> Case:
    """Move ``case`` to ``to_stage`` with a reason where the table asks for one.

    Records who, when and why in the timeline (reason encrypted) and the audit log. A referral
    out to a named organisation checks the person's consent first. Raises ``TransitionRefused``.
    """
    access.require_working(actor, case)
    with audit.atomic():
        locked = common.lock(case)
        counted = rollups.before(locked.pk)
        refusal = refusal_for(locked, to_stage, via_approval=_via_approval)
        if refusal:
            raise TransitionRefused(refusal)
        here, there = Stage(locked.stage), Stage(to_stage)
        rule = workflow.rule_for(here, there)
        if rule is None:  # refusal_for checked it; kept for the type checker
            raise TransitionRefused(_("Unknown stage."))
        reason = reason.strip()
        if rule.reason_required and len(reason) < MIN_REASON:
            raise TransitionRefused(_("Give the reason for this move."))
        if outcome and (outcome not in CLOSING_OUTCOMES or (there is not Stage.CLOSED and outcome)):
            raise TransitionRefused(
                _(
                    "Choose one of the outcomes offered for closing; declining and referring out "
                    "set their own."
                )
            )
        if referred_to is not None:
            from passage.cases.services import consent

            if there is not Stage.REFERRED_OUT:
                raise TransitionRefused(_("Only a referral out names an organisation."))
            if not actor.may(Perm.CASES_SHARE):
                raise TransitionRefused(_("Your role does not allow sharing with organisations."))
            if locked.is_frozen:
                # As for shares: nothing of a suspected-hostile case goes to an organisation.
                raise TransitionRefused(
                    _("The case is frozen: it cannot be referred to an organisation.")
                )
            consent.consent_require(case=locked, partner=referred_to, sections={"person"})
        moment = now or timezone.now()
        fields = ["stage", "stage_entered_at", "paused_from"]
        if rule.move is Move.PAUSE and here not in workflow.PAUSED:
            locked.paused_from = here
        elif rule.move is not Move.PAUSE:
            locked.paused_from = ""
        if rule.move is Move.END:
            locked.closed_at = moment
            locked.outcome = outcome or OUTCOME_OF_END.get(there, Case.Outcome.OTHER)
            fields += ["closed_at", "outcome"]
        elif rule.move is Move.REOPEN:
            locked.closed_at = None
            locked.outcome = ""
            fields += ["closed_at", "outcome"]
        locked.stage = there
        locked.stage_entered_at = moment
        locked.save(update_fields=fields)
        common.event(
            locked,
            CaseEvent.Kind.STAGE,
            actor=actor,
            note=reason,
            detail=rule.move.value,
            from_stage=here,
            to_stage=there,
            at=moment,
        )
        common.record(actor, "case.stage_changed", locked, request_id=request_id)
        rollups.after(counted)
        if referred_to is not None:
            common.record(
                actor,
                "case.referred_out",
                locked,
                object_type="partner",
                object_id=str(referred_to.pk),
                request_id=request_id,
            )
    return locked
