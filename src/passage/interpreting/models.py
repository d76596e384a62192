"""Interpreters given to a case, and the translations they write beside the originals.

An assignment's columns are plain and operational (who interprets which case, for which
languages, since and until when): the interpreter's list of cases and the case summary show
them without decrypting anything; the reason is in docs/security.md. A translation's text is
what a person told us, in another language: encrypted under the case's data key.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel


class InterpreterAssignment(models.Model):
    """An interpreter given to a case by someone who works it; active until ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interpreters")
    interpreter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interpreting"
    )
    # ISO 639 codes (``cases.choices.languages``), e.g. ["ce", "ru"].
    languages = models.JSONField(default=list)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "interpreter"],
                condition=Q(ended_at__isnull=True),
                name="interpreting_one_active_assignment",
            )
        ]
        indexes = [
            models.Index(fields=["interpreter", "ended_at"], name="interpreting_by_interpreter")
        ]

    def __str__(self) -> str:
        return f"interpreter on {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Translation(ProtectedModel):
    """A translation of one original (the case's narrative, a mailbox message, a contact)."""

    class Source(models.TextChoices):
        NARRATIVE = "narrative", _("Story")
        MESSAGE = "message", _("Mailbox message")
        CONTACT = "contact", _("Contact")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="translations")
    source_kind = models.CharField(max_length=12, choices=Source.choices)
    # The original's id: the case for its narrative, a request item or staff reply, a contact.
    source_id = models.UUIDField()
    language = models.CharField(max_length=12)
    text = EncryptedTextField()
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source_kind", "source_id", "language", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source_kind", "source_id", "language"],
                name="interpreting_one_translation_per_language",
            )
        ]
        indexes = [
            models.Index(fields=["case", "source_kind", "source_id"], name="interpreting_source")
        ]

    def __str__(self) -> str:
        return f"{self.source_kind} translation on {self.case_id}"
