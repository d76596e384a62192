"""Admin-defined fields and checklist items of cases, and their values on each case.

A ``FieldDefinition`` is configuration (what to ask, where, how), not personal data: plain. A
``FieldValue`` is what was recorded for one case: encrypted under the case's data key. Which
definitions a case has values for is plain (the row links the two), what the value is never is.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.cases.models import Case
from passage.crypto.fields import EncryptedJSONField, ProtectedModel


class Section(models.TextChoices):
    """Where on the case the values appear (the "More details" tab groups them so)."""

    PERSON = "person", _("Person")
    STORY = "story", _("Story")
    VERIFICATION = "verification", _("Verification")
    DEPARTURE = "departure", _("Departure readiness")


class Kind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("Choice from a list")
    CHECK = "check", _("Checklist item (ticked, with a note)")


class FieldDefinition(models.Model):
    """One field or checklist item that admins added to a case section.

    Retired instead of deleted (``active``), so values recorded under it stay readable. With a
    ``desk``, the field belongs to that desk's cases only (a grant or programme of one region).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    section = models.CharField(max_length=20, choices=Section.choices)
    label = models.CharField(max_length=120)
    help_text = models.CharField(max_length=300, blank=True, default="")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    choices = models.JSONField(default=list, blank=True)  # labels, for Kind.CHOICE
    required = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    desk = models.ForeignKey(
        Desk, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section", "order", "created_at"]
        indexes = [models.Index(fields=["section", "active", "order"], name="casefields_def_order")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_check(self) -> bool:
        return self.kind == Kind.CHECK

    def applies_to(self, case: Case) -> bool:
        """Whether the field can be filled in on ``case`` (active, and for its desk)."""
        return self.active and (self.desk_id is None or self.desk_id == case.desk_id)


class FieldValue(ProtectedModel):
    """What was recorded for one definition on one case (encrypted).

    ``value`` holds ``{"v": <value>, "p": <padding>}``: the padding brings every stored value
    to a multiple of ``services.values.PAD_TO`` bytes, so the ciphertext's length does not tell
    "yes" from "no" or one choice from another.
    """

    key_owner_path = "case"
    # For ``cases.services.duplicates.cases_merge``: a merged case's value for a definition the
    # survivor already has is not moved (the survivor's value stays; the other is shredded).
    merge_unique_with: ClassVar[tuple[str, ...]] = ("definition_id",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="field_values")
    definition = models.ForeignKey(FieldDefinition, on_delete=models.PROTECT, related_name="values")
    value = EncryptedJSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "definition"], name="casefields_value_once")
        ]

    def __str__(self) -> str:
        return f"value of {self.definition_id} on {self.case_id}"

    @property
    def plain(self) -> object:
        """The recorded value itself (None on a shredded tombstone)."""
        stored = self.value
        return stored.get("v") if isinstance(stored, dict) else None
