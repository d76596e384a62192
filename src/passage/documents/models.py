"""Identity and travel documents of the people of a case, and their scans.

Plain columns are operational only: which person and case, the kind and status codes, the
expiry date (it drives the reminders and marks a document expired without decrypting), the
reminder already sent, who recorded it and when. What the document says (its number, the
issuing country, notes) is encrypted under the case's data key; scans are case files
(``passage.casefiles``) attached as ``document``. Reasons in docs/security.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case, Person
from passage.crypto.fields import EncryptedTextField, ProtectedModel

# ``attached_kind`` of a case file (passage.casefiles) that is a scan of a document.
DOCUMENT_ATTACHMENT = "document"

# Days before the expiry date at which the case's caseworker is reminded, largest first.
REMINDER_DAYS = (60, 30, 7)


class PersonDocument(ProtectedModel):
    """One identity or travel document of one person of a case (held, missing or applied for)."""

    class Kind(models.TextChoices):
        INTERNAL_PASSPORT = "internal_passport", _("Internal passport")
        INTERNATIONAL_PASSPORT = "international_passport", _("International passport")
        VISA = "visa", _("Visa")
        EXIT_PERMIT = "exit_permit", _("Exit permit")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
        TRAVEL_DOCUMENT = "travel_document", _("Travel document")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        HAVE = "have", _("Have it")
        MISSING = "missing", _("Missing")
        APPLIED = "applied", _("Applied for")
        ISSUED = "issued", _("Issued")
        EXPIRED = "expired", _("Expired")

    # Statuses that a document still to be obtained has (the journey board's "lacks").
    LACKING = (Status.MISSING, Status.APPLIED, Status.EXPIRED)
    # Statuses of a document in hand: reminded before, and marked expired after, its date.
    VALID = (Status.HAVE, Status.ISSUED)

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices)
    expires_on = models.DateField(null=True, blank=True)
    # The smallest of REMINDER_DAYS already handled for this expiry date (None: none yet).
    reminded_days = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Encrypted: what the document says.
    number = EncryptedTextField(_("document number"))
    issuing_country = EncryptedTextField(_("issuing country"))
    notes = EncryptedTextField(_("notes"))

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["case", "status"], name="documents_doc_case"),
            models.Index(fields=["status", "expires_on"], name="documents_doc_expiry"),
        ]

    def __str__(self) -> str:
        return f"document {self.pk}"
