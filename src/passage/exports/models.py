"""Exports of case data: every one recorded, a full one kept only as a sealed envelope.

An ``Export`` row is written for every export. A redacted one (operational columns only) is
downloaded at once and nothing of it is kept but the row. A full one waits for a second
approver; once approved its envelope (``envelope.seal``: readable only with the recipient's
private key) is stored, encrypted at rest under the export's own data key, for 7 days, then
shredded (key destroyed, blob deleted; the row stays as a tombstone).

Plain columns are filters (desk, stage code, dates), the recipient organisation, section
codes, people, times and counts: what the list and the expiry job need without decrypting.
The recipient's public key and the envelope are encrypted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, PartnerOrganisation
from passage.cases.workflow import Stage
from passage.crypto.fields import EncryptedFileField, EncryptedTextField, ProtectedModel


class Export(ProtectedModel):
    """One export of case data (own data key)."""

    class Kind(models.TextChoices):
        REDACTED = "redacted", _("Redacted")
        FULL = "full", _("Full (encrypted to a recipient)")

    class Status(models.TextChoices):
        DONE = "done", _("Downloaded")  # a redacted export
        WAITING = "waiting", _("Waiting for a second approver")
        READY = "ready", _("Ready to download")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired and destroyed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The filters: a desk (None: every desk one works), a stage, the days the cases opened.
    desk = models.ForeignKey(
        Desk, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, blank=True, default="")
    opened_from = models.DateField(null=True, blank=True)
    opened_to = models.DateField(null=True, blank=True)
    # A full export: who receives it (consent is checked against it) and which sections.
    partner = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sections = models.JSONField(default=list, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    left_out = models.PositiveIntegerField(default=0)  # cases without a covering consent
    expires_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveSmallIntegerField(default=0)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    recipient_key = EncryptedTextField()  # base64 X25519 public key
    envelope = EncryptedFileField()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="exports_status_expiry"),
            models.Index(fields=["requested_by", "-requested_at"], name="exports_requester"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def is_full(self) -> bool:
        return self.kind == self.Kind.FULL
