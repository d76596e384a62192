"""Alerts to staff: what happened (a code from a fixed registry), for whom, and where it stands.

An alert carries no free text: its message is rendered from ``code`` (``passage.alerts.kinds``)
with at most a case reference (e.g. ``PSG-2026-000123``, never a name) and detail codes. Its
target is a role, a desk, a user, or a combination (all given targets must match).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.roles import Role
from passage.alerts.kinds import detail_labels, render_message
from passage.crypto.fields import EncryptedTextField, ProtectedModel

REFERENCE_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")
DETAIL_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")


class Alert(models.Model):
    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=64)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    # A case reference like PSG-2026-000123 (or empty): never a name.
    case_reference = models.CharField(max_length=32, blank=True, default="")
    # Comma-separated detail codes from the kind's registry entry (e.g. unusual-reading reasons).
    details = models.CharField(max_length=200, blank=True, default="")
    object_type = models.CharField(max_length=64, blank=True, default="")
    object_id = models.CharField(max_length=128, blank=True, default="")

    target_role = models.CharField(max_length=20, choices=Role.choices, blank=True, default="")
    target_desk = models.ForeignKey(
        "accounts.Desk", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How many escalation steps of the kind's policy were taken (critical alerts only).
    escalation_step = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="alerts_alert_status_created"),
            models.Index(fields=["code", "object_id"], name="alerts_alert_code_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target_role="")
                | models.Q(target_desk__isnull=False)
                | models.Q(target_user__isnull=False),
                name="alerts_alert_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"alert {self.id} {self.code}"

    def clean(self) -> None:
        if self.case_reference and not REFERENCE_RE.fullmatch(self.case_reference):
            raise ValidationError({"case_reference": _("Not a case reference.")})

    @property
    def detail_codes(self) -> list[str]:
        return [code for code in self.details.split(",") if code]

    @property
    def message(self) -> str:
        """What happened, in the reader's language, rendered from the code."""
        return render_message(self.code, case_reference=self.case_reference)

    @property
    def detail_labels(self) -> list[str]:
        return detail_labels(self.code, self.detail_codes)


class OnCallShift(models.Model):
    """Who is on call for a desk from ``starts_at`` (inclusive) to ``ends_at`` (exclusive).

    Plain: ids and times only. Shifts may overlap (two people on call at once)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey("accounts.Desk", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "ends_at"]
        indexes = [models.Index(fields=["desk", "ends_at"], name="alerts_shift_desk_ends")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="alerts_shift_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"shift {self.id}"


class PushDestination(ProtectedModel):
    """Where a staff member's pushes go: a webhook URL and/or an e-mail address.

    Both are personal data of staff: encrypted under the record's own data key, shown only to
    admins on the edit page, never logged (docs/alerts.md)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_destination"
    )
    webhook_url = EncryptedTextField()
    email = EncryptedTextField()
    # Whether each is set, in plaintext, so lists need not decrypt (docs/security.md).
    has_webhook = models.BooleanField(default=False)
    has_email = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"push destination {self.id}"


class PushDelivery(models.Model):
    """One push of one critical alert to one person through one channel, and how it went.

    ``step`` 0 is the push when the alert was raised; 1, 2... the escalation steps of its kind's
    policy. ``last_error`` is an exception class name only (never a message or an address)."""

    class Channel(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook")
        EMAIL = "email", _("E-mail")
        NONE = "none", _("None configured")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will be retried")
        GAVE_UP = "gave_up", _("Failed, no more retries")
        NO_DESTINATION = "no_destination", _("Not sent: no push address configured")

    class ToldAs(models.TextChoices):
        ON_CALL = "on_call", _("On call")
        DESK_LEAD = "desk_lead", _("Desk lead")
        ADMIN = "admin", _("Admin")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="pushes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.PositiveSmallIntegerField(default=0)
    told_as = models.CharField(max_length=12, choices=ToldAs.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "step"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="alerts_push_status_next"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user", "step", "channel"], name="alerts_push_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"push {self.id}"


class Drill(models.Model):
    """A test critical alert sent through the real path; its acknowledgement time is the
    alert's (``acknowledged_at - created_at``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey("accounts.Desk", on_delete=models.PROTECT, related_name="+")
    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="drill")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"drill {self.id}"

    @property
    def acknowledgement_time(self) -> dt.timedelta | None:
        """How long it took until someone acknowledged the drill alert (None: not yet)."""
        if self.alert.acknowledged_at is None:
            return None
        return self.alert.acknowledged_at - self.alert.created_at
