"""Workload reads: a desk's workload for its leads, a leaver's cases, desk hand-overs, and each
staff member's "My work". Always filtered by what the viewer may see; aggregates in the
database (a fixed number of queries, whatever the number of cases or staff); nothing here
decrypts except the hand-over notes and the chosen names the views ask for.

"Touched" (for "untouched for more than 14 days"): the latest of any timeline entry of the case
(``CaseEvent.at``: stage changes, assignments, notes and contacts the casework part writes
there...) and the last contact (``Case.last_contact_at``). A case with neither in 14 days is
untouched; opening a case writes its first timeline entry, so a new case counts from then.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.alerts import queries as alert_queries
from passage.alerts.models import Alert
from passage.cases import access
from passage.cases import queries as case_queries
from passage.cases.models import Approval, Case
from passage.cases.services.approvals import decision_refusal
from passage.cases.workflow import OPEN_STAGES, Stage
from passage.crypto import datakeys
from passage.workload.models import DeskTransfer

UNTOUCHED_DAYS = 14
LIST_LIMIT = 50  # rows of each list on a page (counts are always complete)
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
APPROVAL_FIELDS = ("request_comment", "decision_comment", "review_note")


def _casework(name: str) -> Callable[..., Any] | None:
    """A read of the casework part (tasks), if it is installed and provides it."""
    try:
        from passage.casework import queries as casework_queries
    except ImportError:
        return None
    found = getattr(casework_queries, name, None)
    return found if callable(found) else None


# --- Desks a lead oversees -------------------------------------------------------------------


def led_desks(viewer: User) -> QuerySet[Desk]:
    """The active desks ``viewer`` leads (with the permission to oversee them)."""
    if not isinstance(viewer, User) or not viewer.may(Perm.DESK_OVERSEE):
        return Desk.objects.none()
    return Desk.objects.filter(
        memberships__user=viewer, memberships__is_lead=True, is_active=True
    ).order_by("name")


def led_desk(viewer: User, desk_id: object) -> Desk | None:
    pk = case_queries.uuid_or_none(desk_id)
    return led_desks(viewer).filter(pk=pk).first() if pk else None


@dataclass
class WorkerLoad:
    user: User | None  # None: the desk's unassigned cases
    total: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    untouched: int = 0
    contacts_overdue: int = 0
    tasks_overdue: int = 0
    counts: list[int] = field(default_factory=list)  # per stage of ``DeskWorkload.stages``


@dataclass
class DeskWorkload:
    desk: Desk
    stages: list[tuple[str, str]]  # (code, label) of the stages that occur, in workflow order
    workers: list[WorkerLoad]
    open_total: int
    untouched: list[Case]
    untouched_total: int
    approvals: list[Approval]
    approvals_total: int
    contacts_overdue: list[Case]
    contacts_overdue_total: int
    tasks_overdue_total: int | None  # None: tasks are not available
    incoming: list[DeskTransfer]
    outgoing: list[DeskTransfer]


def desk_workload(desk: Desk, *, now: dt.datetime | None = None) -> DeskWorkload:
    """What a lead watches on ``desk`` (the caller checked ``led_desk``)."""
    moment = now or timezone.now()
    cutoff = moment - dt.timedelta(days=UNTOUCHED_DAYS)
    open_cases = Case.objects.filter(desk=desk, stage__in=OPEN_STAGES)
    touched = open_cases.annotate(last_event=Max("events__at")).filter(
        Q(last_event__lt=cutoff) | Q(last_event__isnull=True),
        Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True),
    )
    untouched_ids = touched.values("pk")

    by_worker: dict[uuid.UUID | None, WorkerLoad] = {}
    seen_stages: set[str] = set()
    rows = open_cases.values("assignee_id", "stage").annotate(
        n=Count("id"),
        contacts_late=Count("id", filter=Q(next_contact_due__lt=moment)),
        untouched_n=Count("id", filter=Q(pk__in=untouched_ids)),
    )
    for row in rows:
        load = by_worker.setdefault(row["assignee_id"], WorkerLoad(user=None))
        load.total += row["n"]
        load.by_stage[row["stage"]] = load.by_stage.get(row["stage"], 0) + row["n"]
        load.contacts_overdue += row["contacts_late"]
        load.untouched += row["untouched_n"]
        seen_stages.add(row["stage"])

    # Everyone who works the desk appears, with or without cases; assignees who left the desk
    # (their cases still on it) too, so their cases can be handed over.
    staff = {u.pk: u for u in case_queries.assignable_users([desk.pk])}
    missing = [pk for pk in by_worker if pk is not None and pk not in staff]
    staff.update({u.pk: u for u in User.objects.filter(pk__in=missing)})
    for pk, user in staff.items():
        by_worker.setdefault(pk, WorkerLoad(user=None)).user = user

    tasks_overdue_total: int | None = None
    overdue_task_counts = _casework("overdue_task_counts")
    if overdue_task_counts is not None:
        # {case id: overdue tasks} for the open cases of the desk (casework's read).
        assignees = dict(open_cases.values_list("pk", "assignee_id"))
        counts: dict[Any, int] = overdue_task_counts(list(assignees))
        tasks_overdue_total = 0
        for case_id, n in counts.items():
            if n and case_id in assignees:
                by_worker.setdefault(assignees[case_id], WorkerLoad(user=None)).tasks_overdue += n
                tasks_overdue_total += n

    workers = sorted(
        (w for w in by_worker.values()),
        key=lambda w: (w.user is None, -w.total, w.user.username if w.user else ""),
    )
    stages = [(s.value, str(s.label)) for s in Stage if s.value in seen_stages]
    for load in workers:
        load.counts = [load.by_stage.get(code, 0) for code, _label in stages]
    pending = Approval.objects.filter(case__desk=desk, status=Approval.Status.PENDING)
    overdue = open_cases.filter(next_contact_due__lt=moment)
    return DeskWorkload(
        desk=desk,
        stages=stages,
        workers=workers,
        open_total=sum(w.total for w in workers),
        untouched=list(
            touched.select_related("assignee").order_by("last_event", "opened_at")[:LIST_LIMIT]
        ),
        untouched_total=touched.count(),
        approvals=list(
            pending.defer(*APPROVAL_FIELDS)
            .select_related("case", "requested_by")
            .order_by("requested_at")[:LIST_LIMIT]
        ),
        approvals_total=pending.count(),
        contacts_overdue=list(
            overdue.select_related("assignee").order_by("next_contact_due")[:LIST_LIMIT]
        ),
        contacts_overdue_total=overdue.count(),
        tasks_overdue_total=tasks_overdue_total,
        incoming=incoming_transfers(desk),
        outgoing=list(
            DeskTransfer.objects.filter(from_desk=desk, status=DeskTransfer.Status.REQUESTED)
            .defer("note")
            .select_related("case", "to_desk", "requested_by")[:LIST_LIMIT]
        ),
    )


def incoming_transfers(desk: Desk) -> list[DeskTransfer]:
    """Hand-overs waiting for ``desk``'s leads, with their notes (keys loaded at once)."""
    rows = list(
        DeskTransfer.objects.filter(to_desk=desk, status=DeskTransfer.Status.REQUESTED)
        .select_related("case", "from_desk", "requested_by")
        .order_by("requested_at")[:LIST_LIMIT]
    )
    datakeys.preload(rows)
    return rows


def worker_on(desk: Desk, worker_id: object) -> User | None:
    """A staff member who has (or may get) open cases of ``desk``."""
    pk = case_queries.uuid_or_none(worker_id)
    if pk is None:
        return None
    return (
        User.objects.filter(pk=pk, partner__isnull=True)
        .filter(Q(memberships__desk=desk) | Q(assigned_cases__desk=desk))
        .distinct()
        .first()
    )


def case_holders(desk: Desk) -> list[User]:
    """Staff who hold open cases of ``desk`` (whose cases can be handed over)."""
    return list(
        User.objects.filter(
            partner__isnull=True,
            assigned_cases__desk=desk,
            assigned_cases__stage__in=OPEN_STAGES,
        )
        .distinct()
        .order_by("username")
    )


def leaver_cases(desk: Desk, worker: User) -> list[Case]:
    """The open cases of ``worker`` on ``desk``, most urgent first (bounded by the bulk limit)."""
    return list(
        Case.objects.filter(desk=desk, assignee=worker, stage__in=OPEN_STAGES)
        .select_related("desk", "assignee")
        .order_by("-priority_level", "-priority_score", "opened_at")[:500]
    )


def transfer_to_decide(viewer: User, transfer_id: object) -> DeskTransfer | None:
    """A waiting hand-over to a desk ``viewer`` leads."""
    pk = case_queries.uuid_or_none(transfer_id)
    if pk is None:
        return None
    return (
        DeskTransfer.objects.filter(
            pk=pk, status=DeskTransfer.Status.REQUESTED, to_desk__in=led_desks(viewer)
        )
        .select_related("case", "to_desk", "from_desk")
        .first()
    )


def transfer_to_withdraw(viewer: User, transfer_id: object) -> DeskTransfer | None:
    """A waiting hand-over of a case ``viewer`` works."""
    pk = case_queries.uuid_or_none(transfer_id)
    if pk is None:
        return None
    return (
        DeskTransfer.objects.filter(
            pk=pk,
            status=DeskTransfer.Status.REQUESTED,
            case__in=access.worked_cases(viewer),
        )
        .select_related("case", "to_desk", "from_desk")
        .first()
    )


def open_transfer_of(case: Case) -> DeskTransfer | None:
    return (
        DeskTransfer.objects.filter(case=case, status=DeskTransfer.Status.REQUESTED)
        .defer("note")
        .select_related("to_desk", "requested_by")
        .first()
    )


def other_desks(case: Case) -> QuerySet[Desk]:
    return Desk.objects.filter(is_active=True).exclude(pk=case.desk_id).order_by("name")


# --- My work ---------------------------------------------------------------------------------


@dataclass
class MyWork:
    cases: list[Case]  # my open cases, by next action (annotated ``next_action``)
    cases_total: int
    contacts_due: list[Case]
    approvals: list[Approval]  # waiting for a decision I may take
    tasks: list[Any] | None  # None: tasks are not available
    task_cases: list[Case]  # cases of those tasks that I work (their titles may be shown)
    alerts: list[alert_queries.AlertRow]
    alerts_total: int


def my_work(viewer: User, *, now: dt.datetime | None = None) -> MyWork:
    moment = now or timezone.now()
    mine = access.worked_cases(viewer).filter(assignee=viewer, stage__in=OPEN_STAGES)
    by_next = mine.annotate(
        next_action=Least(
            Coalesce("next_deadline", FAR_FUTURE), Coalesce("next_contact_due", FAR_FUTURE)
        )
    ).select_related("desk")
    due = mine.filter(next_contact_due__lt=moment + dt.timedelta(days=1)).select_related("desk")
    # Pending approvals on cases I work that I did not ask for; who may decide each is the
    # approvals service's rule (``decision_refusal``), applied to a bounded number of rows.
    pending = (
        Approval.objects.filter(
            status=Approval.Status.PENDING, case__in=access.worked_cases(viewer)
        )
        .exclude(requested_by=viewer)
        .defer(*APPROVAL_FIELDS)
        .select_related("case", "case__desk", "requested_by")
        .order_by("requested_at")[:20]
    )
    approvals = [a for a in pending if decision_refusal(a, viewer) is None]
    tasks_for_user = _casework("tasks_for_user")
    tasks = list(tasks_for_user(viewer)[:LIST_LIMIT]) if tasks_for_user is not None else None
    task_cases: list[Case] = []
    if tasks:
        datakeys.preload(tasks)
        ids = {t.case_id for t in tasks}
        task_cases = list(access.worked_cases(viewer).filter(pk__in=ids))
    alerts = alert_queries.alerts_for(viewer).filter(status=Alert.Status.NEW)
    return MyWork(
        cases=list(
            by_next.order_by("next_action", "-priority_level", "-priority_score", "opened_at")[
                :LIST_LIMIT
            ]
        ),
        cases_total=mine.count(),
        contacts_due=list(due.order_by("next_contact_due")[:LIST_LIMIT]),
        approvals=approvals,
        tasks=tasks,
        task_cases=task_cases,
        alerts=alert_queries.alert_rows(alerts.order_by("-created_at")[:20]),
        alerts_total=alerts.count(),
    )
