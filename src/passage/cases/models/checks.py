"""Verification, four-eyes approvals, consent, partner shares and duplicate flags of cases."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import PartnerOrganisation
from passage.cases.models.case import Case
from passage.crypto.fields import EncryptedJSONField, EncryptedTextField, ProtectedModel


class VerificationItem(ProtectedModel):
    """One step of a case's verification checklist. What was found is encrypted; which kind of
    check it was (and who vouched, an organisation) is plain, for the checklist's overview."""

    class Kind(models.TextChoices):
        VOUCH = "vouch", _("Vouched for by a partner")
        INTERVIEW = "interview", _("Interview held")
        DOCUMENT = "document", _("Document seen")
        CONSISTENCY = "consistency", _("Consistency check")
        RED_FLAG = "red_flag", _("Red flags")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verification_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    vouching_partner = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Per kind: contact person; date and channel; document type and what was checked; the
    # consistency result; red-flag codes.
    details = EncryptedJSONField()
    note = EncryptedTextField()

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.kind} check of {self.case_id}"


class Approval(ProtectedModel):
    """A four-eyes decision: relocation (after verification) or emergency help (before it)."""

    class Kind(models.TextChoices):
        RELOCATION = "relocation", _("Relocation")
        EMERGENCY = "emergency", _("Emergency help")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Purpose(models.TextChoices):
        TRANSPORT = "transport", _("A ticket out (bus, train, flight)")
        SHELTER = "shelter", _("A safe place to sleep")
        PHONE = "phone", _("A safe phone or SIM card")
        FOOD = "food", _("Food and basics")
        MEDICAL = "medical", _("Medical care or medication")
        OTHER = "other", _("Other immediate need")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Emergency help: how much, for what (codes and numbers; no place is ever recorded).
    amount = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    purpose = models.CharField(max_length=12, choices=Purpose.choices, blank=True, default="")
    review_due_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_alerted_at = models.DateTimeField(null=True, blank=True)
    request_comment = EncryptedTextField()
    decision_comment = EncryptedTextField()
    review_note = EncryptedTextField()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["case", "kind", "status"], name="cases_approval_case"),
            models.Index(
                fields=["review_due_at"],
                condition=Q(reviewed_at__isnull=True, review_due_at__isnull=False),
                name="cases_approval_review_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="pending"),
                name="cases_approval_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} approval of {self.case_id}"


SHAREABLE_SECTIONS: dict[str, object] = {
    "person": _("Name, pronouns and languages"),
    "contact": _("How to reach them"),
    "household": _("Household members"),
    "needs": _("Health and protection needs"),
    "narrative": _("What happened and what they fear"),
}


class Consent(ProtectedModel):
    """What the person agreed may be shared, with whom, when, recorded by whom; withdrawable.

    Recipients are a kind of organisation (any of that kind) or one named organisation. The
    kinds and sections are plain (consent checks run without decrypting); how the consent was
    given is encrypted.
    """

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    recipient_kind = models.CharField(max_length=20, choices=PartnerOrganisation.Kind.choices)
    partner = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sections = models.JSONField(default=list)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    how_given = EncryptedTextField()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"consent {self.pk}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def covers(self, partner: PartnerOrganisation, sections: set[str]) -> bool:
        if not self.active:
            return False
        if self.partner_id is not None and self.partner_id != partner.pk:
            return False
        if self.partner_id is None and self.recipient_kind != partner.kind:
            return False
        return sections <= set(self.sections)


class CaseShare(models.Model):
    """Sections of a case shared with a partner organisation, under a consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="+")
    sections = models.JSONField(default=list)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-shared_at"]
        indexes = [models.Index(fields=["partner", "revoked_at"], name="cases_share_partner")]

    def __str__(self) -> str:
        return f"share {self.pk}"


class DuplicateFlag(models.Model):
    """Two cases whose people share an identifier (blind-index match), until staff decide.

    The pair is stored once, lower id first; it shows on both cases. ``basis`` holds codes of
    what matched (``handle``, ``name_dob``), never the values.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To decide")
        MERGED = "merged", _("Merged")
        DISTINCT = "distinct", _("Not the same person")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_a = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    case_b = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    flagged_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_a", "case_b"], name="cases_duplicate_pair"),
        ]
        indexes = [models.Index(fields=["case_b", "status"], name="cases_duplicate_b")]

    def __str__(self) -> str:
        return f"duplicate flag {self.pk}"

    @property
    def basis_codes(self) -> list[str]:
        return [code for code in self.basis.split(",") if code]

    def other(self, case_id: uuid.UUID) -> uuid.UUID:
        return self.case_b_id if self.case_a_id == case_id else self.case_a_id
