"""Retention policies, legal holds and the record of each retention run.

Nothing here holds personal data in plaintext: policies are codes and day counts, a legal hold
names a case by id and keeps its reason encrypted under the case's data key, a run keeps counts.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel


class Outcome(models.TextChoices):
    """What a retention policy applies to."""

    REQUEST_DECLINED = "request_declined", _("Declined help requests")
    REQUEST_SPAM = "request_spam", _("Help requests marked spam")
    REQUEST_HOSTILE = "request_hostile", _("Help requests marked hostile")
    REQUEST_UNOPENED = "request_unopened", _("Help requests never opened")
    CASE_CLOSED = "case_closed", _("Closed, declined or referred-out cases")


# Days after the decision (requests), the arrival (unopened requests) or the closing (cases).
DEFAULT_DAYS: dict[str, int] = {
    Outcome.REQUEST_DECLINED: 90,
    Outcome.REQUEST_SPAM: 90,
    Outcome.REQUEST_HOSTILE: 90,
    Outcome.REQUEST_UNOPENED: 90,
    Outcome.CASE_CLOSED: 7 * 365 + 2,  # seven years, leap days included
}
MIN_DAYS = 1
MAX_DAYS = 50 * 366


class RetentionPolicy(models.Model):
    """An admin's choice of how long one kind of record is kept (absent: the default)."""

    outcome = models.CharField(max_length=20, choices=Outcome.choices, primary_key=True)
    days = models.PositiveIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.outcome}: {self.days} days"


class LegalHold(ProtectedModel):
    """A case that retention must not shred while the hold is active (not lifted)."""

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds")
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = EncryptedTextField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = EncryptedTextField()

    class Meta:
        ordering = ["-set_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="retention_one_active_hold",
            )
        ]

    def __str__(self) -> str:
        return f"legal hold on {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RetentionRun(models.Model):
    """One run of the retention job: what it did, in counts only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    requests_shredded = models.PositiveIntegerField(default=0)
    cases_shredded = models.PositiveIntegerField(default=0)
    unopened_shredded = models.PositiveIntegerField(default=0)
    intake_keys_destroyed = models.PositiveIntegerField(default=0)
    intake_keys_created = models.PositiveIntegerField(default=0)
    requests_resealed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"retention run {self.id}"
