"""Drafts: what a staff member has typed into a long form and not yet submitted.

A draft belongs to one user and one form (``form_key``: the form's page path and a form id,
ids only, never personal data). The typed values are encrypted under the draft's own data key,
so discarding or submitting the form shreds exactly that draft (its key is destroyed) without
touching the case the form is about; backups keep nothing readable either (the shred ledger).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from passage.crypto.fields import EncryptedJSONField, ProtectedModel


class Draft(ProtectedModel):
    """One user's unsent values of one form: ``{field name: [values]}``, encrypted."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(max_length=300)
    values = EncryptedJSONField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "form_key"], name="drafts_one_per_form")
        ]
        indexes = [models.Index(fields=["expires_at"], name="drafts_expires_idx")]

    def __str__(self) -> str:
        return f"draft {self.pk}"
