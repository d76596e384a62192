"""Duress signals: freezing the case, the critical alert, the compromise review; confirming or
dismissing a signal; closing a review.

Nothing here touches the person's side: the mailbox keeps showing what it showed, and its
next-due date moves exactly as for a normal check-in (``common.count_checkin``).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm, Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.audit import services as audit
from passage.cases import access
from passage.cases.models import Case, CaseEvent
from passage.cases.services import common as case_common
from passage.routes.models import TravelPlan
from passage.safehouses.models import Stay
from passage.safety.exceptions import SafetyError
from passage.safety.models import CompromiseReview, DuressEvent
from passage.safety.services import common

MIN_REASON = 10


def _in_use(case: Case) -> tuple[Stay | None, TravelPlan | None]:
    """The stay the person is in now (else the next planned one) and the latest travel plan."""
    stays = Stay.objects.filter(case=case, cancelled_at__isnull=True, actual_to__isnull=True)
    stay = (
        stays.filter(actual_from__isnull=False).select_related("house").first()
        or stays.filter(actual_from__isnull=True)
        .order_by("planned_from")
        .select_related("house")
        .first()
    )
    plan = (
        TravelPlan.objects.filter(case=case).order_by("-created_at").select_related("route").first()
    )
    return stay, plan


def duress_raise(
    *,
    case: Case,
    source: str,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    request_id: str | None = None,
) -> DuressEvent:
    """Act on a duress signal (inside the caller's transaction): freeze the case (partners,
    interpreters and break-glass lose sight of it; its desk and assignee keep it), raise the
    critical alert, start a compromise review of the safe house and route in use."""
    locked = case_common.lock(case)
    froze = False
    if not locked.is_frozen:
        locked.frozen_at = at
        locked.frozen_reason = Case.Freeze.DURESS
        locked.save(update_fields=["frozen_at", "frozen_reason"])
        case_common.event(locked, CaseEvent.Kind.FROZEN, actor=actor, detail="duress", at=at)
        common.record(actor, "case.frozen", locked, request_id=request_id)
        froze = True
    event = DuressEvent.objects.create(
        case=locked,
        raised_at=at,
        source=source,
        recorded_by=actor,
        froze_case=froze,
        note=note.strip() or None,
    )
    common.record(
        actor,
        "safety.duress_raised",
        locked,
        object_type="duress",
        object_id=event.pk,
        request_id=request_id,
    )
    common.alert_caseworker(
        kinds.DURESS, locked, severity=Alert.Severity.CRITICAL, actor=actor, now=at
    )
    common.alert_role(
        kinds.DURESS, locked, Role.DESK_LEAD, severity=Alert.Severity.CRITICAL, actor=actor, now=at
    )
    if not CompromiseReview.objects.filter(case=locked, state=CompromiseReview.State.OPEN).exists():
        stay, plan = _in_use(locked)
        house = stay.house if stay is not None else None
        review = CompromiseReview.objects.create(
            case=locked,
            duress=event,
            opened_at=at,
            safehouse=house,
            route=plan.route if plan is not None else None,
        )
        common.record(
            actor,
            "safety.review_opened",
            locked,
            object_type="review",
            object_id=review.pk,
            request_id=request_id,
        )
        desks = {locked.desk_id: locked.desk}
        if house is not None:
            desks.setdefault(house.desk_id, house.desk)
        for desk in desks.values():
            common.alert_role(
                kinds.COMPROMISE_REVIEW,
                locked,
                Role.LOGISTICS,
                severity=Alert.Severity.CRITICAL,
                actor=actor,
                desk=desk,
                now=at,
            )
        common.alert_role(
            kinds.COMPROMISE_REVIEW,
            locked,
            Role.DESK_LEAD,
            severity=Alert.Severity.CRITICAL,
            actor=actor,
            now=at,
        )
    return event


def _unfreeze_if_clear(case: Case, actor: User, reason: str, request_id: str | None) -> bool:
    locked = case_common.lock(case)
    if locked.frozen_reason != Case.Freeze.DURESS:
        return False
    standing = DuressEvent.objects.filter(
        case=locked, state__in=(DuressEvent.State.OPEN, DuressEvent.State.CONFIRMED)
    )
    if standing.exists():
        return False
    locked.frozen_at = None
    locked.frozen_reason = ""
    locked.save(update_fields=["frozen_at", "frozen_reason"])
    case_common.event(locked, CaseEvent.Kind.UNFROZEN, actor=actor, note=reason)
    common.record(actor, "case.unfrozen", locked, request_id=request_id)
    return True


def duress_decide(
    *,
    event: DuressEvent,
    confirm: bool,
    reason: str,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> DuressEvent:
    """Confirm a duress signal (by a call or another sign: the case stays frozen) or dismiss it
    as a false alarm with a reason (encrypted); dismissing the last standing signal unfreezes
    the case and closes its compromise review."""
    access.require_working(actor, event.case)
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise SafetyError(_("Say how you know (at least 10 characters)."))
    moment = common.now_or(now)
    with audit.atomic():
        locked = DuressEvent.objects.select_for_update().select_related("case").get(pk=event.pk)
        if confirm and locked.state != DuressEvent.State.OPEN:
            raise SafetyError(_("This signal was already decided."))
        if not confirm and locked.state == DuressEvent.State.DISMISSED:
            raise SafetyError(_("This signal was already dismissed."))
        locked.state = DuressEvent.State.CONFIRMED if confirm else DuressEvent.State.DISMISSED
        locked.decided_at = moment
        locked.decided_by = actor
        locked.decision_note = reason
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        action = "safety.duress_confirmed" if confirm else "safety.duress_dismissed"
        common.record(
            actor,
            action,
            locked.case,
            object_type="duress",
            object_id=locked.pk,
            request_id=request_id,
        )
        if not confirm:
            for review in CompromiseReview.objects.select_for_update().filter(
                duress=locked, state=CompromiseReview.State.OPEN
            ):
                review.state = CompromiseReview.State.CLOSED
                review.outcome = CompromiseReview.Outcome.FALSE_ALARM
                review.closed_at = moment
                review.closed_by = actor
                review.save(update_fields=["state", "outcome", "closed_at", "closed_by"])
                common.record(
                    actor,
                    "safety.review_closed",
                    locked.case,
                    object_type="review",
                    object_id=review.pk,
                    request_id=request_id,
                )
            _unfreeze_if_clear(locked.case, actor, reason, request_id)
    return locked


def may_review(user: User, case: Case) -> bool:
    """Logistics staff and the desk's lead close compromise reviews."""
    return (
        user.may(Perm.LOGISTICS_REVEAL)
        or user.memberships.filter(desk_id=case.desk_id, is_lead=True).exists()
    )


def review_close(
    *,
    review: CompromiseReview,
    outcome: str,
    note: str,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> CompromiseReview:
    """Close a compromise review: the house and route were marked compromised (on their own
    pages), or checked and found not exposed."""
    access.require_working(actor, review.case)
    if not may_review(actor, review.case):
        raise SafetyError(_("Only logistics staff or the desk lead close a compromise review."))
    if outcome not in (CompromiseReview.Outcome.COMPROMISED, CompromiseReview.Outcome.CLEARED):
        raise SafetyError(_("Choose what the review found."))
    note = note.strip()
    if len(note) < MIN_REASON:
        raise SafetyError(_("Say what was checked (at least 10 characters)."))
    with audit.atomic():
        locked = (
            CompromiseReview.objects.select_for_update().select_related("case").get(pk=review.pk)
        )
        if locked.state != CompromiseReview.State.OPEN:
            raise SafetyError(_("This review is already closed."))
        locked.state = CompromiseReview.State.CLOSED
        locked.outcome = outcome
        locked.closed_at = common.now_or(now)
        locked.closed_by = actor
        locked.note = note
        locked.save(update_fields=["state", "outcome", "closed_at", "closed_by", "note"])
        common.record(
            actor,
            "safety.review_closed",
            locked.case,
            object_type="review",
            object_id=locked.pk,
            request_id=request_id,
        )
    return locked
