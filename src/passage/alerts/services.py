"""Alert services: raise, acknowledge, resolve (each audited), and the orchestrators that let
accounts' break-glass and audited-read services raise alerts.

accounts sits below alerts (DESIGN.md), so accounts never imports this module: the views of
higher apps call ``break_glass_open`` and ``protected_read`` here, which call the accounts
service and raise the alert in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from passage.accounts.models import AccessGrant, Desk, User
from passage.accounts.roles import Role
from passage.accounts.services import break_glass as break_glass_service
from passage.accounts.services import reads as reads_service
from passage.alerts import kinds, push
from passage.alerts.models import DETAIL_RE, REFERENCE_RE, Alert
from passage.audit import services as audit

UNUSUAL_READING_QUIET = dt.timedelta(hours=1)  # at most one unusual-reading alert per user
CaseFacts = reads_service.CaseFacts  # what ``protected_reads`` needs to know of each case


class AlertError(ValueError):
    """A caller passed something an alert may not carry (a programming error, not user input)."""


def _actor(actor: User | str) -> str:
    return actor if isinstance(actor, str) else audit.actor_for("user", actor.pk)


def alert_raise(
    *,
    code: str,
    severity: str | None = None,
    target_role: Role | str | None = None,
    target_desk: Desk | None = None,
    target_user: User | None = None,
    case_reference: str = "",
    details: tuple[str, ...] = (),
    object_type: str = "",
    object_id: str = "",
    actor: User | str,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Alert:
    """Raise an alert of a registered kind for a role, a desk, a user (all given must match).

    No free text: ``code`` must be in ``passage.alerts.kinds``, ``case_reference`` a reference
    (``PSG-2026-000123``), ``details`` codes of the kind. ``actor`` is the user whose action
    raised it, or ``"system"``. ``now`` is the time of the event that raised it (default: now).
    ``severity`` defaults to the kind's policy.

    A critical alert is pushed outside the app (``passage.alerts.push.plan_initial``: the desk's
    person on call, else its lead(s), else the admins; content-free) once the transaction
    commits, and escalates while nobody acknowledges it. Callers need do nothing more.
    """
    kind = kinds.KINDS.get(code)
    if kind is None:
        raise AlertError(f"unknown alert code {code!r}")
    severity = severity or kind.policy.severity
    if severity not in Alert.Severity.values:
        raise AlertError("unknown severity")
    if not (target_role or target_desk or target_user):
        raise AlertError("an alert needs a target")
    if target_role and target_role not in Role.values:
        raise AlertError("unknown role")
    if case_reference and not REFERENCE_RE.fullmatch(case_reference):
        raise AlertError("case_reference must be a reference, never a name")
    for detail in details:
        if not DETAIL_RE.fullmatch(detail) or detail not in kind.details:
            raise AlertError(f"detail {detail!r} is not registered for {code}")
    with audit.atomic():
        alert = Alert.objects.create(
            code=code,
            severity=severity,
            target_role=str(target_role or ""),
            target_desk=target_desk,
            target_user=target_user,
            case_reference=case_reference,
            details=",".join(details),
            object_type=object_type,
            object_id=object_id,
            created_at=now or timezone.now(),
        )
        audit.record(
            actor=_actor(actor),
            action="alert.raised",
            object_type="alert",
            object_id=str(alert.pk),
            request_id=request_id,
        )
        push.plan_initial(alert, now=alert.created_at)
    return alert


def alert_acknowledge(
    *, alert: Alert, actor: User, request_id: str | None = None, now: dt.datetime | None = None
) -> bool:
    """Mark a new alert as acknowledged by ``actor``. False if it was not new any more.

    The caller has checked that the alert is visible to the actor (``queries.alerts_for``).
    Acknowledging stops its escalation (and, for a drill, fixes its acknowledgement time).
    """
    with audit.atomic():
        now = now or timezone.now()
        changed = Alert.objects.filter(pk=alert.pk, status=Alert.Status.NEW).update(
            status=Alert.Status.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=actor
        )
        if changed:
            audit.record(
                actor=_actor(actor),
                action="alert.acknowledged",
                object_type="alert",
                object_id=str(alert.pk),
                request_id=request_id,
            )
    alert.refresh_from_db()
    return bool(changed)


def alert_resolve(
    *, alert: Alert, actor: User, request_id: str | None = None, now: dt.datetime | None = None
) -> bool:
    """Mark an alert as resolved by ``actor`` (acknowledging it too if it was new).

    False if it was resolved already.
    """
    with audit.atomic():
        now = now or timezone.now()
        pending = Alert.objects.filter(pk=alert.pk).exclude(status=Alert.Status.RESOLVED)
        pending.filter(acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=actor
        )
        changed = pending.update(status=Alert.Status.RESOLVED, resolved_at=now, resolved_by=actor)
        if changed:
            audit.record(
                actor=_actor(actor),
                action="alert.resolved",
                object_type="alert",
                object_id=str(alert.pk),
                request_id=request_id,
            )
    alert.refresh_from_db()
    return bool(changed)


def break_glass_open(
    *,
    user: User,
    case_id: uuid.UUID,
    desk_id: uuid.UUID,
    reason: str,
    case_reference: str = "",
    request_id: str | None = None,
) -> AccessGrant:
    """Break-glass with its alert: the accounts service, then a warning for admins.

    One transaction: no grant without its alert. Raises ``BreakGlassRefused``.
    """
    with audit.atomic():
        grant = break_glass_service.break_glass_open(
            user=user, case_id=case_id, desk_id=desk_id, reason=reason, request_id=request_id
        )
        alert_raise(
            code=kinds.BREAK_GLASS,
            severity=Alert.Severity.WARNING,
            target_role=Role.ADMIN,
            case_reference=case_reference,
            object_type="case",
            object_id=str(case_id),
            actor=user,
            request_id=request_id,
        )
    return grant


def protected_read(
    *,
    user: User,
    case_id: uuid.UUID,
    desk_id: uuid.UUID | None,
    section: str,
    assignee_id: uuid.UUID | None = None,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> reads_service.ReadingAssessment:
    """Record a view of a protected section; alert admins if the reading looks unusual.

    At most one unusual-reading alert per reader per hour, so a bulk read raises one alarm, not
    hundreds. The alert names the reader (object ``user``), never the cases read.
    """
    moment = now or timezone.now()
    with audit.atomic():
        assessment = reads_service.protected_read_record(
            user=user,
            case_id=case_id,
            desk_id=desk_id,
            section=section,
            assignee_id=assignee_id,
            request_id=request_id,
            now=moment,
        )
        _alert_unusual(user, assessment, request_id, moment)
    return assessment


def protected_reads(
    *,
    user: User,
    cases: list[reads_service.CaseFacts],
    section: str,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> reads_service.ReadingAssessment:
    """``protected_read`` for many cases the reader works at once (a list with their names):
    one entry per case, one judgement of the reading, at most one alert."""
    moment = now or timezone.now()
    with audit.atomic():
        assessment = reads_service.protected_reads_record(
            user=user, cases=cases, section=section, request_id=request_id, now=moment
        )
        _alert_unusual(user, assessment, request_id, moment)
    return assessment


def _alert_unusual(
    user: User,
    assessment: reads_service.ReadingAssessment,
    request_id: str | None,
    moment: dt.datetime,
) -> None:
    if not assessment.unusual:
        return
    recent = Alert.objects.filter(
        code=kinds.UNUSUAL_READING,
        object_type="user",
        object_id=str(user.pk),
        created_at__gt=moment - UNUSUAL_READING_QUIET,
    )
    if not recent.exists():
        alert_raise(
            code=kinds.UNUSUAL_READING,
            severity=Alert.Severity.WARNING,
            target_role=Role.ADMIN,
            details=assessment.reasons,
            object_type="user",
            object_id=str(user.pk),
            actor="system",
            request_id=request_id,
            now=moment,
        )
