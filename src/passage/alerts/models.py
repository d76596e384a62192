"""Alerts to staff: what happened (a code from a fixed registry), for whom, and where it stands.

An alert carries no free text: its message is rendered from ``code`` (``passage.alerts.kinds``)
with at most a case reference (e.g. ``PSG-2026-000123``, never a name) and detail codes. Its
target is a role, a desk, a user, or a combination (all given targets must match).
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.roles import Role
from passage.alerts.kinds import detail_labels, render_message

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
