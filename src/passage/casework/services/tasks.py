"""Tasks on a case: a title (encrypted), a due day and an assignee who may work the case."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case
from passage.cases.services import common
from passage.cases.services.assignment import may_be_assigned
from passage.casework.models import Task
from passage.casework.services.common import MAX_SHORT, text


def task_add(
    *,
    case: Case,
    actor: User,
    title: str,
    due_on: dt.date | None = None,
    assignee: User | None = None,
    request_id: str | None = None,
) -> Task:
    access.require_working(actor, case)
    title = text(title, required=_("Say what is to be done."), limit=MAX_SHORT)
    if assignee is not None and not may_be_assigned(assignee, case):
        raise InvalidInput(_("The task's assignee must work cases on the case's desk."))
    with audit.atomic():
        locked = common.lock(case)
        task = Task.objects.create(
            case=locked, title=title, due_on=due_on, assignee=assignee, created_by=actor
        )
        common.record(actor, "case.task_added", locked, request_id=request_id)
    return task


def _set_status(task: Task, actor: User, *, done: bool, request_id: str | None) -> Task:
    access.require_working(actor, task.case)
    with audit.atomic():
        locked = common.lock(task.case)
        row = Task.objects.select_for_update().get(pk=task.pk, case=locked)
        wanted = Task.Status.DONE if done else Task.Status.OPEN
        if row.status == wanted:
            raise InvalidInput(
                _("This task is done already.") if done else _("This task is open already.")
            )
        row.status = wanted
        row.done_at = timezone.now() if done else None
        row.done_by = actor if done else None
        row.save(update_fields=["status", "done_at", "done_by"])
        action = "case.task_completed" if done else "case.task_reopened"
        common.record(actor, action, locked, request_id=request_id)
    return row


def task_complete(*, task: Task, actor: User, request_id: str | None = None) -> Task:
    return _set_status(task, actor, done=True, request_id=request_id)


def task_reopen(*, task: Task, actor: User, request_id: str | None = None) -> Task:
    return _set_status(task, actor, done=False, request_id=request_id)
