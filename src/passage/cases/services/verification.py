"""Verification against entrapment: the checklist, its outcome, and freezing a suspect case.

Fake help requests were a real tactic of security services (Chechnya, Egypt), so a case cannot
be approved for relocation before verification says "verified" (``services.workflow``), and
"suspected hostile" freezes the case at once: partners lose sight of it, break-glass stops, it
cannot move on, and the desk lead is alerted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm, Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.cases import access, rollups
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent, VerificationItem
from passage.cases.services import common

Kind = VerificationItem.Kind

INTERVIEW_CHANNELS = {
    "video": gettext_lazy("Video call"),
    "voice": gettext_lazy("Voice call"),
    "in_person": gettext_lazy("In person"),
    "messages": gettext_lazy("Written messages"),
}
DOCUMENT_TYPES = {
    "internal_passport": gettext_lazy("Internal passport"),
    "international_passport": gettext_lazy("International passport"),
    "birth_certificate": gettext_lazy("Birth certificate"),
    "military_id": gettext_lazy("Military ID"),
    "medical_record": gettext_lazy("Medical record"),
    "police_record": gettext_lazy("Police or court record"),
    "other": gettext_lazy("Other document"),
}
RED_FLAGS = {
    "unexpected_channel": gettext_lazy("Request came through an unexpected channel"),
    "pressure_for_staff_or_routes": gettext_lazy("Pressure to reveal staff, routes or safe houses"),
    "contradicts_known_facts": gettext_lazy("Details contradict known facts"),
    "insists_on_meeting": gettext_lazy("Insists on meeting in person"),
    "scripted_story": gettext_lazy("Story reads as scripted or copied"),
    "other": gettext_lazy("Other warning sign"),
}
CONSISTENCY_RESULTS = {
    "consistent": gettext_lazy("Consistent"),
    "minor_gaps": gettext_lazy("Minor gaps, explained"),
    "inconsistent": gettext_lazy("Inconsistent"),
}
MIN_NOTE = 10


def _clean_details(
    kind: str,
    details: dict[str, Any],
    vouching_partner: PartnerOrganisation | None,
    interviewer: User | None,
) -> dict[str, Any]:
    if kind == Kind.VOUCH:
        if vouching_partner is None:
            raise InvalidInput(_("Choose the organisation that vouches."))
        contact = str(details.get("contact_person", "")).strip()
        if not contact:
            raise InvalidInput(_("Name the contact person who vouches."))
        return {"contact_person": contact}
    if kind == Kind.INTERVIEW:
        held_on = details.get("held_on")
        if not isinstance(held_on, dt.date) or held_on > timezone.localdate():
            raise InvalidInput(_("Give the date of the interview (not in the future)."))
        channel = details.get("channel")
        if channel not in INTERVIEW_CHANNELS:
            raise InvalidInput(_("Choose how the interview was held."))
        if interviewer is None:
            raise InvalidInput(_("Choose who held the interview."))
        return {"held_on": held_on.isoformat(), "channel": channel}
    if kind == Kind.DOCUMENT:
        document_type = details.get("document_type")
        checked = str(details.get("checked", "")).strip()
        if document_type not in DOCUMENT_TYPES:
            raise InvalidInput(_("Choose the type of document."))
        if not checked:
            raise InvalidInput(_("Say what was checked on the document."))
        return {"document_type": document_type, "checked": checked}
    if kind == Kind.CONSISTENCY:
        result = details.get("result")
        if result not in CONSISTENCY_RESULTS:
            raise InvalidInput(_("Choose the result of the consistency check."))
        return {"result": result}
    if kind == Kind.RED_FLAG:
        flags = sorted(set(details.get("flags") or []))
        if not flags or any(f not in RED_FLAGS for f in flags):
            raise InvalidInput(_("Tick at least one red flag."))
        return {"flags": flags}
    raise InvalidInput(_("Unknown kind of check."))


def verification_item_add(
    *,
    case: Case,
    kind: str,
    details: dict[str, Any],
    actor: User,
    note: str = "",
    vouching_partner: PartnerOrganisation | None = None,
    interviewer: User | None = None,
    request_id: str | None = None,
) -> VerificationItem:
    """Add one step to the verification checklist (what it found is encrypted)."""
    access.require_working(actor, case, Perm.VERIFICATION_RUN)
    clean = _clean_details(kind, details, vouching_partner, interviewer)
    if kind == Kind.RED_FLAG and "other" in clean["flags"] and len(note.strip()) < MIN_NOTE:
        raise InvalidInput(_("Describe the other warning sign in the note."))
    with audit.atomic():
        locked = common.lock(case)
        item = VerificationItem.objects.create(
            case=locked,
            kind=kind,
            vouching_partner=vouching_partner if kind == Kind.VOUCH else None,
            interviewer=interviewer if kind == Kind.INTERVIEW else None,
            recorded_by=actor,
            details=clean,
            note=note.strip() or None,
        )
        common.event(locked, CaseEvent.Kind.VERIFICATION, actor=actor, detail=kind)
        common.record(
            actor,
            "case.verification_item_added",
            locked,
            request_id=request_id,
        )
    return item


def verification_outcome_record(
    *, case: Case, outcome: str, note: str, actor: User, request_id: str | None = None
) -> Case:
    """Record the outcome: verified, not verified, or suspected hostile (which freezes)."""
    access.require_working(actor, case, Perm.VERIFICATION_RUN)
    if outcome not in Case.Verification.values:
        raise InvalidInput(_("Choose an outcome."))
    note = note.strip()
    if len(note) < MIN_NOTE:
        raise InvalidInput(_("Explain the outcome (at least 10 characters)."))
    with audit.atomic():
        locked = common.lock(case)
        counted = rollups.before(locked.pk)
        if (
            outcome == Case.Verification.VERIFIED
            and not locked.verification_items.exclude(kind=Kind.RED_FLAG).exists()
        ):
            raise InvalidInput(
                _("Record at least one check (a vouch, an interview, a document) before verifying.")
            )
        locked.verification_outcome = outcome
        fields = ["verification_outcome"]
        common.event(
            locked, CaseEvent.Kind.VERIFICATION, actor=actor, detail=f"outcome_{outcome}", note=note
        )
        common.record(actor, "case.verification_outcome", locked, request_id=request_id)
        if outcome == Case.Verification.SUSPECTED_HOSTILE and not locked.is_frozen:
            locked.frozen_at = timezone.now()
            locked.frozen_reason = Case.Freeze.SUSPECTED_HOSTILE
            fields += ["frozen_at", "frozen_reason"]
            common.event(locked, CaseEvent.Kind.FROZEN, actor=actor, detail=outcome)
            common.record(actor, "case.frozen", locked, request_id=request_id)
            alert_raise(
                code=kinds.SUSPECTED_HOSTILE,
                severity=Alert.Severity.CRITICAL,
                target_role=Role.DESK_LEAD,
                target_desk=locked.desk,
                case_reference=locked.reference,
                object_type="case",
                object_id=str(locked.pk),
                actor=actor,
                request_id=request_id,
            )
        locked.save(update_fields=fields)
        rollups.after(counted)
    return locked


def case_unfreeze(*, case: Case, reason: str, actor: User, request_id: str | None = None) -> Case:
    """The desk lead lifts a freeze, once verification no longer says "suspected hostile"."""
    access.require_working(actor, case, Perm.DESK_OVERSEE)
    if not actor.memberships.filter(desk_id=case.desk_id, is_lead=True).exists():
        raise NotAllowed(_("Only the lead of this case's desk can unfreeze it."))
    reason = reason.strip()
    if len(reason) < MIN_NOTE:
        raise InvalidInput(_("Give the reason for unfreezing (at least 10 characters)."))
    with audit.atomic():
        locked = common.lock(case)
        if not locked.is_frozen:
            raise InvalidInput(_("The case is not frozen."))
        if locked.verification_outcome == Case.Verification.SUSPECTED_HOSTILE:
            raise InvalidInput(
                _("Verification still says “suspected hostile”: record a new outcome first.")
            )
        locked.frozen_at = None
        locked.frozen_reason = ""
        locked.save(update_fields=["frozen_at", "frozen_reason"])
        common.event(locked, CaseEvent.Kind.UNFROZEN, actor=actor, note=reason)
        common.record(actor, "case.unfrozen", locked, request_id=request_id)
    return locked
