"""Helpers every case service shares: locking, timeline entries, audit entries, priorities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from passage.accounts.models import User
from passage.audit import services as audit
from passage.cases import priority
from passage.cases.models import Case, CaseEvent, DeskPriority


def actor_of(user: User) -> str:
    return audit.actor_for("user", user.pk)


def lock(case: Case) -> Case:
    """The case row, locked for the rest of the transaction (fresh from the database)."""
    return Case.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=case.pk)


def record(
    actor: User | str,
    action: str,
    case: Case,
    *,
    object_type: str = "case",
    object_id: str | None = None,
    request_id: str | None = None,
) -> None:
    audit.record(
        actor=actor if isinstance(actor, str) else actor_of(actor),
        action=action,
        object_type=object_type,
        object_id=object_id or str(case.pk),
        request_id=request_id,
    )


def record_object(
    actor: User, action: str, object_type: str, object_id: object, request_id: str | None
) -> None:
    """The audit entry of a change to something that is not a case (a fund, a safe house)."""
    audit.record(
        actor=actor_of(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=request_id,
    )


def event(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    note: str = "",
    detail: str = "",
    from_stage: str = "",
    to_stage: str = "",
    subject_user: User | None = None,
    at: dt.datetime | None = None,
) -> CaseEvent:
    """Add a line to the case's timeline (its note encrypted under the case's key)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        note=note or None,
        detail=detail,
        from_stage=from_stage,
        to_stage=to_stage,
        subject_user=subject_user,
        at=at or timezone.now(),
    )


def desk_boost(desk_id: Any) -> int:
    found = DeskPriority.objects.filter(desk_id=desk_id).values_list("boost", flat=True).first()
    return int(found or 0)


def campaign_boost(case: Case, today: dt.date) -> int:
    campaign = case.campaign
    if campaign is None or not campaign.runs_on(today):
        return 0
    return int(campaign.priority_boost)


def apply_priority(case: Case, *, now: dt.datetime | None = None) -> list[str]:
    """Recompute the score and level of ``case`` from its (decrypted) factors, in memory.

    Returns the changed field names, for ``save(update_fields=...)``.
    """
    moment = now or timezone.now()
    base = priority.base_points(case.triage_factors)
    boosts = campaign_boost(case, timezone.localdate(moment)) + desk_boost(case.desk_id)
    score = priority.score(base=base, opened_at=case.opened_at, now=moment, boosts=boosts)
    override = priority.Level(case.level_override) if case.level_override else None
    level = override or priority.level_for(score)
    case.priority_base = base
    case.priority_score = score
    case.priority_level = level
    case.priority_computed_at = moment
    return ["priority_base", "priority_score", "priority_level", "priority_computed_at"]
