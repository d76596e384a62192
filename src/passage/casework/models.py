"""The daily casework of a case: its contact log, notes and tasks.

Plain columns are operational only (channel and direction codes, times, staff ids, status,
the restricted flag): what a queue or a workload page sorts and counts on. Whatever was said
or written (a summary, a pasted conversation, with whom, a note, a task's title) is encrypted
under the case's data key. Reasons for the plain columns are in docs/security.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel

# ``attached_kind`` of a case file (passage.casefiles) sent or received with a contact.
CONTACT_ATTACHMENT = "contact"


class Contact(ProtectedModel):
    """One contact with the person (or someone for them) over any channel."""

    class Channel(models.TextChoices):
        SIGNAL = "signal", _("Signal")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("In person")
        MAILBOX = "mailbox", _("Secure mailbox")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        INCOMING = "incoming", _("They contacted us")
        OUTGOING = "outgoing", _("We contacted them")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    happened_at = models.DateTimeField(default=timezone.now)
    recorded_at = models.DateTimeField(default=timezone.now)
    next_contact_due = models.DateTimeField(null=True, blank=True)
    # Encrypted: who it was with ("the person", "their sister") and what was said.
    with_whom = EncryptedTextField()
    summary = EncryptedTextField()

    class Meta:
        ordering = ["-happened_at"]
        indexes = [models.Index(fields=["case", "-happened_at"], name="casework_contact_case")]

    def __str__(self) -> str:
        return f"{self.channel} contact on {self.case_id}"


class Note(ProtectedModel):
    """A note on a case. A restricted note is for those who work the case only: partners and
    break-glass readers never see it."""

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    restricted = models.BooleanField(default=False)
    body = EncryptedTextField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "-created_at"], name="casework_note_case")]

    def __str__(self) -> str:
        return f"note on {self.case_id}"


class Task(ProtectedModel):
    """Something to do on a case, by a day, by someone who works it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    due_on = models.DateField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casework_tasks",
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = EncryptedTextField()

    class Meta:
        ordering = ["status", "due_on", "created_at"]
        indexes = [
            models.Index(fields=["case", "status", "due_on"], name="casework_task_case"),
            models.Index(fields=["assignee", "status", "due_on"], name="casework_task_assignee"),
        ]

    def __str__(self) -> str:
        return f"task on {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: dt.date | None = None) -> bool:
        day = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < day
