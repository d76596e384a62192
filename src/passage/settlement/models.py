"""Settlement plans of arrived cases: legal status steps, needs and who helps, follow-ups.

Plain columns are operational only: which case and plan, the kind, area and status codes, the
dates that lists across cases need (arrival, a step's date, a follow-up's due day), the staff
helper (a foreign key), who recorded what and when. Where the person lives (the city), the
free-text helper (a sponsor group's name), notes and wellbeing notes are encrypted under the
case's data key. Reasons in docs/security.md and docs/settlement.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel

# Months after the arrival date at which a follow-up is due (created with the plan).
FOLLOW_UP_MONTHS = (1, 3, 6, 12)
# Days ahead that the settlement worker's list looks for follow-ups due.
DUE_AHEAD_DAYS = 14


class SettlementPlan(ProtectedModel):
    """The settlement plan of one case (made once the person has arrived)."""

    key_owner_path = "case"

    # A foreign key, not one-to-one: merging two cases that both have a plan moves the merged
    # case's plan to the survivor (the tab shows the oldest; every follow-up stays listed).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="settlement_plans")
    arrival_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Encrypted: where the person lives now.
    city = EncryptedTextField(_("city"))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"settlement plan {self.pk}"


class LegalStep(ProtectedModel):
    """One step towards legal status: a claim, a hearing, a permit, permanent residence."""

    class Kind(models.TextChoices):
        CLAIM = "claim", _("Asylum or protection claim")
        HEARING = "hearing", _("Hearing")
        WORK_PERMIT = "work_permit", _("Work permit")
        TRAVEL_DOCUMENT = "travel_document", _("Refugee travel document")
        PERMANENT_RESIDENCE = "permanent_residence", _("Permanent residence")
        OTHER = "other", _("Other step")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("Under way")
        GRANTED = "granted", _("Granted or done")
        REFUSED = "refused", _("Refused")
        NOT_NEEDED = "not_needed", _("Not needed")

    # The steps every plan starts with, in order.
    DEFAULT_KINDS = (
        Kind.CLAIM,
        Kind.HEARING,
        Kind.WORK_PERMIT,
        Kind.TRAVEL_DOCUMENT,
        Kind.PERMANENT_RESIDENCE,
    )

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(SettlementPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    # The step's date: filed, the hearing's day, the decision (whichever the step is at).
    on_date = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    notes = EncryptedTextField(_("notes"))

    class Meta:
        ordering = ["position", "updated_at"]

    def __str__(self) -> str:
        return f"legal step {self.pk}"


class Need(ProtectedModel):
    """One area of settlement support, where it stands and who helps."""

    class Area(models.TextChoices):
        HOUSING = "housing", _("Housing")
        LANGUAGE = "language", _("Language classes")
        EMPLOYMENT = "employment", _("Employment")
        HEALTHCARE = "healthcare", _("Healthcare")
        PSYCHOLOGICAL = "psychological", _("Psychological support")
        SPONSOR = "sponsor", _("Community sponsor or buddy")
        BANKING = "banking", _("Banking")
        EDUCATION = "education", _("Education")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Met")
        NOT_NEEDED = "not_needed", _("Not needed")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(SettlementPlan, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(max_length=16, choices=Area.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    # A staff member who helps (one of the case desk's people), and/or someone outside.
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # Encrypted: e.g. "St Mark's sponsor group, Anna" (a name, a contact).
    helper_text = EncryptedTextField(_("who helps"))
    notes = EncryptedTextField(_("notes"))

    class Meta:
        ordering = ["plan", "area"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "area"], name="settlement_need_area"),
        ]

    def __str__(self) -> str:
        return f"need {self.pk}"


class FollowUp(ProtectedModel):
    """A follow-up with the person, 1, 3, 6 or 12 months after arrival."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To do")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(SettlementPlan, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the "follow-up due" alert was raised for this due day (None: not yet).
    alerted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Encrypted: how the person is doing.
    wellbeing = EncryptedTextField(_("wellbeing notes"))

    class Meta:
        ordering = ["plan", "months"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="settlement_followup_due"),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"
