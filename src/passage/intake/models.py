"""Help requests, their mailboxes, what the person sends later, staff replies, referrals.

What the intake tier writes is sealed to the intake public key before it is saved; only urgency,
reply language, the intake key id and the time (rounded to the hour) stay outside the seal, so the
screening inbox can sort. What staff write about a request (replies, decline reasons) is encrypted
under the request's own data key, made by the console tier on first use.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case
from passage.crypto.fields import EncryptedJSONField, EncryptedTextField, ProtectedModel


def to_the_hour(moment: dt.datetime | None = None) -> dt.datetime:
    """Requests and public actions are timed to the hour only (DESIGN invariant 1)."""
    return (moment or timezone.now()).replace(minute=0, second=0, microsecond=0)


class Mailbox(models.Model):
    """The person's side of a request. Found only by the codename's keyed hash; holds the public
    half of the codename's key pair and what is sealed to it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lookup = models.BinaryField(max_length=32, unique=True)
    public_key = models.BinaryField(max_length=32)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=to_the_hour)
    # The phrase staff quote on other channels, sealed to the mailbox key (the person reads it
    # there) and inside the request's seal (staff read it there).
    contact_phrase = models.BinaryField()
    # When the person should check in again (rounded to the hour), written by the console tier
    # (passage.safety) for every counted check-in alike; null while check-ins are not on.
    checkin_due_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"mailbox {self.id}"


class MailboxCheckin(models.Model):
    """A check-in word typed in the mailbox, padded and sealed to the intake key.

    Every word (the check-in word, the duress word, a wrong one) makes exactly this row with
    columns of the same sizes: the intake tier cannot tell them apart and neither can anyone
    reading the table. The console tier (passage.safety) opens it, acts, and deletes the row.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="checkins")
    received_at = models.DateTimeField(default=to_the_hour)
    intake_key_id = models.CharField(max_length=64)
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"check-in of {self.mailbox_id}"


class MailboxWords(models.Model):
    """The check-in word and the duress word the person chose, padded and sealed to the intake
    key; at most one waiting row per mailbox (a new choice replaces one not yet taken in). The
    console tier opens it, keeps the words under the case's data key and deletes the row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="words")
    set_at = models.DateTimeField(default=to_the_hour)
    intake_key_id = models.CharField(max_length=64)
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"words of {self.mailbox_id}"


class HelpRequest(ProtectedModel):
    """A help request as the screening inbox sees it."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        READ = "read", _("Read")
        REPLIED = "replied", _("Replied")
        CASE_OPENED = "case_opened", _("Case opened")
        ATTACHED = "attached", _("Attached to a case")
        DECLINED = "declined", _("Declined and referred")
        SPAM = "spam", _("Spam")
        HOSTILE = "hostile", _("Hostile")

    class Status(models.TextChoices):
        """What the person sees in the mailbox: neutral words only."""

        RECEIVED = "received", _("Received")
        WORKING = "working", _("We are working on it")
        NEED_INFO = "need_info", _("We need more information")
        CANNOT_HELP = "cannot_help", _("We cannot help, and here are other organisations")

    class Level(models.TextChoices):
        """The screener's own triage (self-reported urgency is shown, never trusted for order)."""

        CRITICAL = "critical", _("Critical")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")
        LOW = "low", _("Low")

    OPEN_STATES = (State.NEW, State.READ, State.REPLIED)
    LEVEL_ORDER = {Level.CRITICAL: 0, Level.HIGH: 1, Level.NORMAL: 2, Level.LOW: 3}

    mailbox = models.OneToOneField(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )
    received_at = models.DateTimeField(default=to_the_hour)
    urgency = models.CharField(max_length=12, choices=Case.Urgency.choices)
    reply_language = models.CharField(max_length=8)
    intake_key_id = models.CharField(max_length=64)
    # The first step (country, urgency, language, contact phrase), sealed to the intake key.
    sealed = models.BinaryField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.NEW)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    level = models.CharField(max_length=10, choices=Level.choices, blank=True, default="")
    # 0..3 from ``level``, 9 while untriaged: the inbox orders by it, then by age.
    level_rank = models.PositiveSmallIntegerField(default=9)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="help_requests"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Staff-side, under the request's data key: decline reason, screener's note.
    staff_note = EncryptedTextField()
    story_received = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["state", "level_rank", "received_at"], name="intake_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"request {self.short_id}"

    @property
    def short_id(self) -> str:
        """How staff name a request aloud: random, carries nothing about the person."""
        return "R-" + self.id.hex[:8].upper()


class RequestItem(models.Model):
    """Something the person sent after the first step: the story, a message, a file."""

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        MESSAGE = "message", _("Message")
        FILE = "file", _("File")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    received_at = models.DateTimeField(default=to_the_hour)
    # Order within the request (times are only to the hour).
    position = models.PositiveIntegerField()
    intake_key_id = models.CharField(max_length=64)
    sealed = models.BinaryField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="intake_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.request_id}"


class StaffReply(ProtectedModel):
    """A reply from staff: sealed to the mailbox for the person, encrypted for staff."""

    key_owner_path = "request"

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    body = EncryptedTextField()
    # Sealed to the mailbox's public key; emptied after 30 days or when the mailbox is deleted.
    for_person = models.BinaryField(null=True, blank=True)
    template = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return f"reply to {self.request_id}"


class ReferralOrganisation(ProtectedModel):
    """A vetted organisation we send people to when we cannot help (the referral directory)."""

    class Help(models.TextChoices):
        LEGAL = "legal", _("Legal advice")
        SHELTER = "shelter", _("Shelter")
        MEDICAL = "medical", _("Medical care")
        PSYCHOLOGICAL = "psychological", _("Psychological support")
        ASYLUM = "asylum", _("Asylum and resettlement")
        HOTLINE = "hotline", _("Hotline")
        COMMUNITY = "community", _("Community")

    STALE_AFTER = dt.timedelta(days=183)

    # Plain: which country it serves and what kind of help, so the decline form can filter.
    country = models.CharField(max_length=2)
    kinds = models.JSONField(default=list)
    # Encrypted: the name and how to reach it, as it should appear in a reply.
    name = EncryptedTextField()
    contact = EncryptedTextField()
    details = EncryptedJSONField()
    last_checked = models.DateField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["country", "last_checked"]

    def __str__(self) -> str:
        return f"referral organisation {self.id}"

    def is_stale(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return today - self.last_checked > self.STALE_AFTER
