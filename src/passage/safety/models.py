"""Check-ins, lost-contact incidents, duress signals and the compromise reviews they start.

Plain columns are operational only (ids, times, stages, codes, counts, foreign keys); the words,
notes, reasons and the last known place are encrypted under the case's data key
(docs/security.md lists why each plain column is plain).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case
from passage.cases.workflow import Stage
from passage.crypto.fields import EncryptedTextField, ProtectedModel
from passage.routes.models import Route
from passage.safehouses.models import SafeHouse


class CheckinSchedule(ProtectedModel):
    """A case's check-in clock: when it started, the last check-in, when the next one is due,
    how far a missed one has escalated, and the person's two words (encrypted)."""

    class Level(models.IntegerChoices):
        NONE = 0, _("On time")
        CASEWORKER = 1, _("Caseworker alerted")
        DESK_LEAD = 2, _("Desk lead alerted")
        LOST_CONTACT = 3, _("Lost contact")

    class Via(models.TextChoices):
        MAILBOX = "mailbox", _("Chosen in the mailbox")
        STAFF = "staff", _("Agreed on a call")

    key_owner_path = "case"
    # One schedule per case, also through a merge: the survivor's stays, the merged case's is
    # shredded with it (cases.services.duplicates reads this; the column is a constant).
    merge_unique_with: ClassVar[tuple[str, ...]] = ("kind",)

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="checkin_schedule")
    kind = models.CharField(max_length=8, default="case", editable=False)
    active = models.BooleanField(default=True)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Hours between check-ins for this case instead of the stage's default.
    override_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.NONE)
    caseworker_alerted_at = models.DateTimeField(null=True, blank=True)
    lead_alerted_at = models.DateTimeField(null=True, blank=True)
    checkin_word = EncryptedTextField()
    duress_word = EncryptedTextField()
    words_set_at = models.DateTimeField(null=True, blank=True)
    words_set_via = models.CharField(max_length=8, choices=Via.choices, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["active", "next_due_at"], name="safety_schedule_due")]

    def __str__(self) -> str:
        return f"check-in schedule of {self.case_id}"

    @property
    def has_words(self) -> bool:
        return self.words_set_at is not None


class CheckIn(ProtectedModel):
    """One check-in: from the mailbox (a word) or logged by staff after a call."""

    class Source(models.TextChoices):
        MAILBOX = "mailbox", _("Mailbox")
        STAFF = "staff", _("Logged by staff")

    class Channel(models.TextChoices):
        MAILBOX = "mailbox", _("Mailbox")
        PHONE = "phone", _("Phone call")
        SIGNAL = "signal", _("Signal")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        OK = "ok", _("Checked in")
        DURESS = "duress", _("Duress signal")
        UNKNOWN_WORD = "unknown_word", _("Word not recognised")
        NO_WORDS = "no_words", _("Checked in (no words agreed yet)")

    COUNTED = (Outcome.OK, Outcome.DURESS, Outcome.NO_WORDS)

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checkins")
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, choices=Source.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "at"], name="safety_checkin_case_at")]

    def __str__(self) -> str:
        return f"check-in of {self.case_id}"


class LostContactIncident(ProtectedModel):
    """A case moved to (or found in) "lost contact" after a missed check-in, until the person
    is back in contact."""

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lost_contact_incidents")
    opened_at = models.DateTimeField(default=timezone.now)
    missed_due_at = models.DateTimeField()
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    last_known_stage = models.CharField(max_length=20, choices=Stage.choices)
    moved_case = models.BooleanField(default=False)
    # Who was told and when: the caseworker (or, with nobody assigned, the desk's caseworkers)
    # and the desk's lead.
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    caseworker_told_at = models.DateTimeField(null=True, blank=True)
    lead_told_at = models.DateTimeField(null=True, blank=True)
    # The last known place, from the travel plan and the safe-house stay (encrypted).
    place = EncryptedTextField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resumed_to = models.CharField(max_length=20, choices=Stage.choices, blank=True, default="")
    close_note = EncryptedTextField()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(closed_at__isnull=True),
                name="safety_one_open_incident",
            )
        ]

    def __str__(self) -> str:
        return f"lost-contact incident of {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DuressEvent(ProtectedModel):
    """A duress signal: the duress word in the mailbox, or staff recording contact under duress."""

    class Source(models.TextChoices):
        MAILBOX = "mailbox", _("Duress word in the mailbox")
        STAFF = "staff", _("Contact under duress, recorded by staff")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed as a false alarm")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duress_events")
    raised_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    froze_case = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField()
    decision_note = EncryptedTextField()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"duress signal of {self.case_id}"


class CompromiseReview(ProtectedModel):
    """After a duress signal: were the safe house and the route in use exposed? Logistics and
    the desk lead decide; marking them compromised is done with the safe-house and route pages."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        COMPROMISED = "compromised", _("Marked compromised")
        CLEARED = "cleared", _("Checked: not exposed")
        FALSE_ALARM = "false_alarm", _("Duress dismissed as a false alarm")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="compromise_reviews")
    duress = models.ForeignKey(DuressEvent, on_delete=models.CASCADE, related_name="reviews")
    opened_at = models.DateTimeField(default=timezone.now)
    safehouse = models.ForeignKey(
        SafeHouse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    route = models.ForeignKey(
        Route, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"compromise review of {self.case_id}"
