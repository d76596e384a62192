"""Triage: the declared factors of a case, a level override with a reason, and the periodic
refresh of scores (time waiting and campaign boosts change with the calendar)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.cases import access, priority
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Campaign, Case, CaseEvent, DeskPriority
from passage.cases.services import common
from passage.cases.workflow import OPEN_STAGES

MIN_REASON = 10
SWEEP_CHUNK = 2000


def triage_factors_set(
    *, case: Case, factors: set[str], actor: User, request_id: str | None = None
) -> Case:
    """Record which triage factors apply (encrypted) and recompute the score and level."""
    access.require_working(actor, case)
    unknown = set(factors) - priority.FACTOR_CODES
    if unknown:
        raise InvalidInput(_("Unknown triage factor."))
    with audit.atomic():
        locked = common.lock(case)
        locked.triage_factors = dict.fromkeys(sorted(factors), True)
        fields = common.apply_priority(locked)
        locked.save(update_fields=["triage_factors", *fields])
        common.event(
            locked, CaseEvent.Kind.TRIAGE, actor=actor, detail=f"level_{locked.priority_level}"
        )
        common.record(actor, "case.triage_changed", locked, request_id=request_id)
    return locked


def priority_level_override(
    *,
    case: Case,
    level: priority.Level | None,
    reason: str,
    actor: User,
    request_id: str | None = None,
) -> Case:
    """Set the level by hand (``None`` returns to the computed level). Needs a reason."""
    access.require_working(actor, case)
    if level is not None and level not in priority.Level.values:
        raise InvalidInput(_("Choose a priority level."))
    reason = reason.strip()
    if level is not None and len(reason) < MIN_REASON:
        raise InvalidInput(_("Say why the level differs from the score (at least 10 characters)."))
    with audit.atomic():
        locked = common.lock(case)
        locked.level_override = int(level) if level is not None else None
        locked.level_override_reason = reason or None
        fields = common.apply_priority(locked)
        locked.save(update_fields=["level_override", "level_override_reason", *fields])
        common.event(
            locked,
            CaseEvent.Kind.LEVEL_OVERRIDE,
            actor=actor,
            note=reason,
            detail=f"level_{int(level)}" if level is not None else "cleared",
        )
        common.record(actor, "case.priority_overridden", locked, request_id=request_id)
    return locked


def priority_sweep(*, now: dt.datetime | None = None) -> int:
    """Refresh the stored score and level of every open case; returns how many changed.

    Needs no decryption: ``priority_base`` holds the factors' points. Idempotent; commits in
    chunks, one audit entry per chunk that changed anything.
    """
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    campaigns = {
        c.pk: int(c.priority_boost)
        for c in Campaign.objects.filter(is_active=True)
        if c.runs_on(today)
    }
    desks = dict(DeskPriority.objects.values_list("desk_id", "boost"))
    changed = 0
    last: uuid.UUID | None = None
    while True:
        query = Case.objects.filter(stage__in=OPEN_STAGES).order_by("pk")
        if last is not None:
            query = query.filter(pk__gt=last)
        rows = list(
            query.values_list(
                "pk",
                "priority_base",
                "opened_at",
                "campaign_id",
                "desk_id",
                "level_override",
                "priority_score",
                "priority_level",
            )[:SWEEP_CHUNK]
        )
        if not rows:
            return changed
        last = rows[-1][0]
        updates = []
        for pk, base, opened_at, campaign_id, desk_id, override, old_score, old_level in rows:
            boosts = campaigns.get(campaign_id, 0) + int(desks.get(desk_id, 0))
            score = priority.score(base=base, opened_at=opened_at, now=moment, boosts=boosts)
            level = int(override or priority.level_for(score))
            if score != old_score or level != old_level:
                updates.append(
                    Case(
                        pk=pk,
                        priority_score=score,
                        priority_level=level,
                        priority_computed_at=moment,
                    )
                )
        if updates:
            with audit.atomic():
                Case.objects.bulk_update(
                    updates, ["priority_score", "priority_level", "priority_computed_at"]
                )
                audit.record(
                    actor="system",
                    action="case.priority_refreshed",
                    object_type="job",
                    object_id="cases.priority_sweep",
                )
            changed += len(updates)
