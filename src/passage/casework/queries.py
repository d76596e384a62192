"""Reads of casework, always for a case the viewer may see (a ``cases.queries.CaseView``).

Restricted notes are for those who work the case (desk or assignee): break-glass readers never
get them (and partners never reach a staff case page at all). Mailbox messages are read from
intake (``intake.queries.mailbox_messages``) and merged into the contact log, never copied.
Callers record the read of what these functions decrypt (``cases.views.common.record_read``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.casefiles.models import CaseFile
from passage.casefiles.queries import files_attached
from passage.cases import access
from passage.cases import queries as case_queries
from passage.cases.models import CaseEvent
from passage.cases.queries import CaseView, uuid_or_none
from passage.cases.workflow import Stage
from passage.casework.models import CONTACT_ATTACHMENT, Contact, Note, Task
from passage.crypto import datakeys
from passage.intake.queries import MailboxMessage, mailbox_messages

DEFAULT_CHANNEL = Contact.Channel.SIGNAL


# --- Contacts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    """One line of the contact log: logged by staff, or a message of the secure mailbox."""

    at: dt.datetime
    channel: str
    channel_label: str
    direction: str
    direction_label: str
    staff: User | None
    with_whom: str
    summary: str
    next_contact_due: dt.datetime | None = None
    from_mailbox: bool = False
    readable: bool = True
    # Case files hung on a logged contact (their numbers: opened from the Files tab).
    attachments: tuple[CaseFile, ...] = ()


def _mailbox_row(message: MailboxMessage) -> ContactRow:
    direction = Contact.Direction.INCOMING if message.incoming else Contact.Direction.OUTGOING
    summary = message.text
    if message.kind == "file" and message.readable:
        summary = _("Sent a file: %(name)s") % {"name": message.text}
    return ContactRow(
        at=message.at,
        channel=Contact.Channel.MAILBOX,
        channel_label=str(Contact.Channel.MAILBOX.label),
        direction=direction,
        direction_label=str(Contact.Direction(direction).label),
        staff=message.author,
        with_whom="",
        summary=summary,
        from_mailbox=True,
        readable=message.readable,
    )


def logged_contacts(view: CaseView) -> list[Contact]:
    rows = list(Contact.objects.filter(case=view.case).select_related("staff"))
    datakeys.preload(rows)
    return rows


def contacts_of(view: CaseView) -> list[ContactRow]:
    """The contact log of the case, newest first: logged contacts and the mailbox's messages
    (decrypted: the caller records the read)."""
    contacts = logged_contacts(view)
    attached = files_attached(view, CONTACT_ATTACHMENT, [c.pk for c in contacts])
    rows = [
        ContactRow(
            at=c.happened_at,
            channel=c.channel,
            channel_label=c.get_channel_display(),
            direction=c.direction,
            direction_label=c.get_direction_display(),
            staff=c.staff,
            with_whom=c.with_whom or "",
            summary=c.summary or "",
            next_contact_due=c.next_contact_due,
            attachments=tuple(attached.get(c.pk, ())),
        )
        for c in contacts
    ]
    rows += [_mailbox_row(m) for m in mailbox_messages(view.case)]
    return sorted(rows, key=lambda row: row.at, reverse=True)


def last_channel(view: CaseView) -> str:
    """The channel of the newest logged contact (Signal when there is none): the form's
    default, since most cases keep to one channel. Plain column only."""
    found = (
        Contact.objects.filter(case=view.case)
        .order_by("-happened_at")
        .values_list("channel", flat=True)
        .first()
    )
    return found or DEFAULT_CHANNEL


# --- Notes -----------------------------------------------------------------------------------


def _notes(view: CaseView) -> QuerySet[Note]:
    notes = Note.objects.filter(case=view.case).select_related("author")
    if not view.works:
        notes = notes.filter(restricted=False)
    return notes


def notes_of(view: CaseView) -> list[Note]:
    """The notes the viewer may read, newest first (restricted ones only for those who work
    the case)."""
    rows = list(_notes(view))
    datakeys.preload(rows)
    return rows


def note_of(view: CaseView, note_id: object) -> Note | None:
    pk = uuid_or_none(note_id)
    return None if pk is None else _notes(view).filter(pk=pk).first()


# --- Tasks -----------------------------------------------------------------------------------


def tasks_of(view: CaseView) -> list[Task]:
    """Open tasks first, by due day (undated last), then the done ones, newest first."""
    rows = list(
        Task.objects.filter(case=view.case)
        .select_related("assignee", "created_by", "done_by")
        .order_by("status", F("due_on").asc(nulls_last=True), F("done_at").desc(), "created_at")
    )
    datakeys.preload(rows)
    return rows


def task_of(view: CaseView, task_id: object) -> Task | None:
    pk = uuid_or_none(task_id)
    if pk is None:
        return None
    return Task.objects.filter(case=view.case, pk=pk).select_related("case").first()


def overdue_task_counts(
    case_ids: Iterable[uuid.UUID], *, today: dt.date | None = None
) -> dict[uuid.UUID, int]:
    """How many open tasks are past their due day, per case (cases without any are left out).
    Plain columns only, one query: for lists (the queue, workload pages)."""
    ids = list(case_ids)
    if not ids:
        return {}
    day = today or timezone.localdate()
    counts = (
        Task.objects.filter(case_id__in=ids, status=Task.Status.OPEN, due_on__lt=day)
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    return dict(counts)


def tasks_for_user(user: User) -> QuerySet[Task]:
    """The open tasks that are ``user``'s, on cases they may see, by due day (undated last):
    assigned to them, or unassigned on a case assigned to them. Titles decrypt on use."""
    visible = access.visible_cases(user).filter(merged_into__isnull=True).values("pk")
    return (
        Task.objects.filter(status=Task.Status.OPEN, case_id__in=visible)
        .filter(Q(assignee=user) | Q(assignee__isnull=True, case__assignee=user))
        .select_related("case", "assignee")
        .order_by(F("due_on").asc(nulls_last=True), "created_at", "pk")
    )


# --- The timeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # event, contact, note, task_added, task_done, mailbox
    kind_label: str
    at: dt.datetime
    who: User | None
    title: str
    text: str = ""
    restricted: bool = False


def _stage(code: str) -> str:
    return str(Stage(code).label) if code in Stage.values else code


def _event_title(event: CaseEvent) -> str:
    parts = [event.get_kind_display()]
    if event.kind in (CaseEvent.Kind.STAGE, CaseEvent.Kind.OPENED):
        moved = _stage(event.to_stage)
        if event.from_stage:
            moved = f"{_stage(event.from_stage)} → {moved}"
        parts[0] = f"{parts[0]}: {moved}"
    elif event.detail:
        parts.append(event.detail)
    if event.subject_user is not None:
        parts.append(event.subject_user.username)
    return " · ".join(parts)


def _events(view: CaseView) -> list[TimelineEntry]:
    events = case_queries.timeline(view.case)
    label = _("Case")
    return [
        TimelineEntry("event", label, e.at, e.actor, _event_title(e), e.note or "") for e in events
    ]


def _contact_entries(view: CaseView) -> list[TimelineEntry]:
    entries = []
    for row in contacts_of(view):
        title = f"{row.channel_label} · {row.direction_label}"
        if row.with_whom:
            title += f" · {row.with_whom}"
        text = row.summary if row.readable else _("This message can no longer be opened.")
        kind = "mailbox" if row.from_mailbox else "contact"
        label = _("Mailbox") if row.from_mailbox else _("Contact")
        entries.append(TimelineEntry(kind, label, row.at, row.staff, title, text))
    return entries


def _note_entries(view: CaseView) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            "note",
            _("Note"),
            note.created_at,
            note.author,
            _("Restricted note") if note.restricted else _("Note"),
            note.body or "",
            note.restricted,
        )
        for note in notes_of(view)
    ]


def _task_entries(view: CaseView) -> list[TimelineEntry]:
    entries = []
    for task in tasks_of(view):
        title = task.title or ""
        entries.append(
            TimelineEntry("task_added", _("Task"), task.created_at, task.created_by, title)
        )
        if task.done_at is not None:
            entries.append(
                TimelineEntry("task_done", _("Task done"), task.done_at, task.done_by, title)
            )
    return entries


def case_timeline(view: CaseView) -> list[TimelineEntry]:
    """Everything that happened on the case, newest first: stage changes, assignments,
    checks and approvals (case events), contacts and mailbox messages, notes (restricted ones
    only for those who work the case), tasks added and done. Decrypted: a recorded read."""
    entries = _events(view) + _contact_entries(view) + _note_entries(view) + _task_entries(view)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
