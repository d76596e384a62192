"""Audited reads: every view of a case's protected section, and of the audit log itself.

``protected_read_record`` writes ``case.section_viewed.<section>`` for the case and judges,
from the audit log, whether the reader's reading looks unusual. It returns the reasons as codes
and raises nothing: alerting admins is ``passage.alerts.services.protected_read`` (accounts may not
import alerts). The checks, each over the hour before ``now`` (thresholds in settings,
``PASSAGE_READ_ALERT_*``):

- ``foreign_cases``: many distinct cases read that are neither on the reader's desks nor assigned
  to them (in practice: break-glass cases);
- ``other_desks``: such cases from several other desks;
- ``odd_hour``: reading at an hour of the day in which the reader did nothing in the last 30 days
  (judged only with enough days of history);
- ``volume``: more reads than ``max(FACTOR x their usual reads per working hour, FLOOR)``.

A surge of ordinary work on one's own desk can only trip ``volume``, and only above the high floor.
``now`` is a parameter so the checks can be evaluated at a chosen moment (audit entries cannot be
back-dated, so tests write entries and then look at them from later).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import ExtractHour, TruncDate, TruncHour
from django.utils import timezone

from passage.accounts.models import AccessGrant, User
from passage.audit import queries as audit_queries
from passage.audit import services as audit
from passage.audit.models import AuditEntry

READ_ACTION = "case.section_viewed"
SECTION_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
WINDOW = dt.timedelta(hours=1)
HISTORY = dt.timedelta(days=30)

FOREIGN_CASES = "foreign_cases"
OTHER_DESKS = "other_desks"
ODD_HOUR = "odd_hour"
VOLUME = "volume"


@dataclass(frozen=True)
class ReadingAssessment:
    """What the checks found about one read: reason codes, empty when nothing is unusual."""

    reasons: tuple[str, ...] = ()

    @property
    def unusual(self) -> bool:
        return bool(self.reasons)


def protected_read_record(
    *,
    user: User,
    case_id: uuid.UUID,
    desk_id: uuid.UUID | None,
    section: str,
    request_id: str | None = None,
    assignee_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> ReadingAssessment:
    """Record that ``user`` viewed ``section`` of case ``case_id`` and judge the reading.

    The caller has already decided (``accounts.visibility``) that the user may see the case.
    ``section`` is a lower-case code (``person``, ``narrative``...); anything else is refused
    with ``ValueError`` before anything is written.
    """
    if not SECTION_RE.fullmatch(section):
        raise ValueError("section must be a lower-case code")
    with audit.atomic():
        # Judged before this read's entry is written (it is counted explicitly).
        assessment = reading_assess(
            user=user, case_id=case_id, desk_id=desk_id, assignee_id=assignee_id, now=now
        )
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action=f"{READ_ACTION}.{section}",
            object_type="case",
            object_id=str(case_id),
            request_id=request_id,
        )
    return assessment


@dataclass(frozen=True)
class CaseFacts:
    """What the reading checks need to know of one case read in a batch."""

    case_id: uuid.UUID
    desk_id: uuid.UUID | None
    assignee_id: uuid.UUID | None = None


def protected_reads_record(
    *,
    user: User,
    cases: list[CaseFacts],
    section: str,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> ReadingAssessment:
    """Record that ``user`` viewed ``section`` of each of ``cases`` at once (a list showing the
    chosen names of cases they work), one entry per case, judged as one reading of them all.

    Meant for cases the reader works: the checks look at the first case's desk and count the
    others towards the volume.
    """
    if not SECTION_RE.fullmatch(section):
        raise ValueError("section must be a lower-case code")
    if not cases:
        return ReadingAssessment()
    first = cases[0]
    with audit.atomic():
        assessment = reading_assess(
            user=user,
            case_id=first.case_id,
            desk_id=first.desk_id,
            assignee_id=first.assignee_id,
            now=now,
            also=len(cases) - 1,
        )
        for facts in cases:
            audit.record(
                actor=audit.actor_for("user", user.pk),
                action=f"{READ_ACTION}.{section}",
                object_type="case",
                object_id=str(facts.case_id),
                request_id=request_id,
            )
    return assessment


def _reads(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    return entries.filter(action__startswith=f"{READ_ACTION}.")


def reading_assess(
    *,
    user: User,
    case_id: uuid.UUID,
    desk_id: uuid.UUID | None,
    assignee_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
    also: int = 0,
) -> ReadingAssessment:
    """The unusual-reading checks for one more read of ``case_id`` at ``now`` (see module doc).

    Looks only at entries up to ``now``; the read being judged is counted in addition to them
    (with ``also`` more reads of the reader's own cases, written in the same batch).
    """
    now = now or timezone.now()
    window_start = now - WINDOW
    mine = audit_queries.entries_by_actor(audit.actor_for("user", user.pk)).filter(
        occurred_at__lte=now
    )
    this_hour = _reads(mine).filter(occurred_at__gt=window_start)
    reasons: list[str] = []

    my_desks = {str(d) for d in user.memberships.values_list("desk_id", flat=True)}
    own = (desk_id is not None and str(desk_id) in my_desks) or (
        assignee_id is not None and str(assignee_id) == str(user.pk)
    )
    if user.partner_id is None:
        # Cases read this hour that the user holds a break-glass grant for, outside their desks.
        grant_desks = {
            str(object_id): str(grant_desk or "")
            for object_id, grant_desk in AccessGrant.objects.filter(
                user=user, object_type="case", granted_at__lte=now
            ).values_list("object_id", "desk_id")
        }
        read_cases = set(this_hour.values_list("object_id", flat=True).distinct())
        foreign = {
            c: grant_desks[c]
            for c in read_cases
            if c in grant_desks and grant_desks[c] not in my_desks
        }
        foreign.pop(str(case_id), None)
        if not own:
            foreign[str(case_id)] = str(desk_id or "")
        if len(foreign) >= settings.PASSAGE_READ_ALERT_FOREIGN_CASES:
            reasons.append(FOREIGN_CASES)
        other_desks = {d for d in foreign.values() if d}
        if len(other_desks) >= settings.PASSAGE_READ_ALERT_OTHER_DESKS:
            reasons.append(OTHER_DESKS)

    past = reading_history(user=user, now=now)
    hour = timezone.localtime(now, timezone.get_current_timezone()).hour
    if past.days >= settings.PASSAGE_READ_ALERT_MIN_HISTORY_DAYS and hour not in past.hours:
        reasons.append(ODD_HOUR)
    if this_hour.count() + 1 + also > volume_limit(past.usual_reads_per_hour):
        reasons.append(VOLUME)
    return ReadingAssessment(tuple(reasons))


@dataclass(frozen=True)
class ReadingHistory:
    """A reader's activity in the 30 days before the current hour, from the audit log."""

    days: int  # distinct days with any activity
    hours: frozenset[int]  # hours of the day (0-23, local time) with any activity
    usual_reads_per_hour: float  # protected reads per hour in which they read at all


# History changes slowly (30 days, the last hour excluded), yet judging it costs several
# aggregate queries over the reader's entries at every protected read: within one clock hour a
# process reuses it. Only for reads judged at the real present (``now`` within a minute of the
# clock), never for a ``now`` chosen by a caller.
_HISTORY_CACHE: dict[tuple[uuid.UUID, dt.datetime], ReadingHistory] = {}
_HISTORY_CACHE_MAX = 10_000
_LIVE = dt.timedelta(minutes=1)


def reading_history(*, user: User, now: dt.datetime) -> ReadingHistory:
    """What counts as usual for ``user``, seen at ``now`` (the last hour is not history)."""
    key = None
    if abs(timezone.now() - now) < _LIVE:
        key = (user.pk, now.replace(minute=0, second=0, microsecond=0))
        cached = _HISTORY_CACHE.get(key)
        if cached is not None:
            return cached
    history = _reading_history(user=user, now=now)
    if key is not None:
        if len(_HISTORY_CACHE) >= _HISTORY_CACHE_MAX:
            _HISTORY_CACHE.clear()
        _HISTORY_CACHE[key] = history
    return history


def _reading_history(*, user: User, now: dt.datetime) -> ReadingHistory:
    zone = timezone.get_current_timezone()
    history = audit_queries.entries_by_actor(audit.actor_for("user", user.pk)).filter(
        occurred_at__gt=now - HISTORY, occurred_at__lte=now - WINDOW
    )
    days = history.annotate(day=TruncDate("occurred_at", tzinfo=zone)).values("day").distinct()
    hours = (
        history.annotate(hour=ExtractHour("occurred_at", tzinfo=zone))
        .values_list("hour", flat=True)
        .distinct()
    )
    past_reads = _reads(history)
    total = past_reads.count()
    usual = 0.0
    if total:
        slots = (
            past_reads.annotate(slot=TruncHour("occurred_at", tzinfo=zone))
            .values("slot")
            .distinct()
            .count()
        )
        usual = total / max(1, slots)
    return ReadingHistory(days=days.count(), hours=frozenset(hours), usual_reads_per_hour=usual)


def volume_limit(usual_reads_per_hour: float) -> float:
    """Reads in one hour above which the volume is unusual: a multiple of usual, never below
    the (high) floor, so a busy hour of ordinary work does not trip it."""
    return max(
        settings.PASSAGE_READ_ALERT_VOLUME_FACTOR * usual_reads_per_hour,
        settings.PASSAGE_READ_ALERT_VOLUME_FLOOR,
    )


def audit_log_viewed(*, user: User, request_id: str | None = None) -> None:
    """Record that ``user`` looked at the audit log (who watches the watchers)."""
    with audit.atomic():
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="audit.log_viewed",
            object_type="audit",
            object_id="log",
            request_id=request_id,
        )


def audit_chain_verified(*, user: User, ok: bool, request_id: str | None = None) -> None:
    """Record that ``user`` ran the chain verification, and whether the chain was intact."""
    with audit.atomic():
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="audit.chain_verified" if ok else "audit.chain_verify_failed",
            object_type="audit",
            object_id="log",
            request_id=request_id,
        )
