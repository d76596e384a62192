"""Testimony with consent scopes, accountability records, and evidence bundles.

- ``Testimony``: a statement of a case, encrypted under the case's key (text, the named court
  or body of a legal-proceedings consent, the redaction spans). Plain: the case, its number in
  the case, the consent scope codes, the dates and who recorded or withdrew it: which
  testimony may go where must be decided without decrypting. Its files are case files
  (``passage.casefiles``) attached to it (``attached_kind="testimony"``).
- ``Place`` and ``Perpetrator``: records of their own (own data key), since many cases name
  them. Plain: a kind and a number ("Unofficial detention site 3", "Perpetrator 12"), which say
  nothing by themselves; the label, names, units and roles are encrypted.
- ``Incident``: what happened, for a case (the case's key): violation type (a fixed code, plain:
  the corroboration view counts patterns), a coded place (foreign key); when and the
  description are encrypted.
- ``TestimonyLink``: which incidents, places and perpetrators a testimony describes (ids only).
- ``Bundle`` (own data key), ``BundleItem`` and ``CustodyEntry``: what was selected for one
  purpose, its approval by a second person, the PDF (encrypted file) and manifest (encrypted
  JSON), and to whom and when it was given (recipient and note encrypted).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from passage.crypto.fields import (
    EncryptedFileField,
    EncryptedJSONField,
    EncryptedTextField,
    ProtectedModel,
)


class Scope(models.TextChoices):
    """What the person agreed their testimony may be used for."""

    INTERNAL = "internal", _("Internal use only")
    LEGAL = "legal", _("Legal proceedings (a named court or body)")
    UN = "un", _("UN and human-rights reporting")
    PUBLICATION = "publication", _("Anonymised publication")


# Purposes a bundle can be made for (internal use never leaves Passage: no bundle for it).
PURPOSES = (Scope.LEGAL, Scope.UN, Scope.PUBLICATION)


class RedactionCategory(models.TextChoices):
    NAME = "name", _("Name")
    PLACE = "place", _("Place")
    DATE = "date", _("Date")
    OTHER = "other", _("Other")


class Violation(models.TextChoices):
    ARBITRARY_DETENTION = "arbitrary_detention", _("Arbitrary detention")
    TORTURE = "torture", _("Torture")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    ENFORCED_DISAPPEARANCE = "enforced_disappearance", _("Enforced disappearance")
    KILLING = "killing", _("Killing")
    FAMILY_THREAT = "family_threat", _("Threat by family")
    OUTING = "outing", _("Outing")


class Testimony(ProtectedModel):
    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="testimonies")
    number = models.PositiveIntegerField()  # "Testimony 2" of the case
    text = EncryptedTextField()
    # Character ranges of ``text`` to remove before any use outside: [[start, end, category]].
    redactions = EncryptedJSONField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Consent: scope codes (Scope), the day the person gave it, who recorded it and when.
    scopes = models.JSONField(default=list)
    legal_body = EncryptedTextField()  # the named court or body, for Scope.LEGAL
    consent_on = models.DateField()
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # Not unique per case: testimonies that a merge moved keep their numbers.
        ordering = ["case", "number"]

    def __str__(self) -> str:
        return f"testimony {self.number} of {self.case_id}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def covers(self, purpose: str) -> bool:
        """Whether the consent (not withdrawn) covers ``purpose``."""
        return not self.is_withdrawn and purpose in self.scopes and purpose != Scope.INTERNAL

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]


class Place(ProtectedModel):
    class Kind(models.TextChoices):
        DETENTION_SITE = "detention_site", _("Unofficial detention site")
        POLICE = "police", _("Police station")
        MILITARY = "military", _("Military or security base")
        PRISON = "prison", _("Prison")
        OTHER = "other", _("Other place")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField()
    label = EncryptedTextField()  # what staff call it: the real name or where it is
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="evidence_place_number")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Perpetrator(ProtectedModel):
    number = models.PositiveIntegerField(unique=True)
    name = EncryptedTextField()
    unit = EncryptedTextField()
    role = EncryptedTextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return str(_("Perpetrator %(number)s") % {"number": self.number})


class Incident(ProtectedModel):
    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    number = models.PositiveIntegerField()
    violation = models.CharField(max_length=30, choices=Violation.choices)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    # {"from": "2017-03-01", "to": "2017-03-20"} (ISO dates; "to" may be empty)
    occurred = EncryptedJSONField()
    description = EncryptedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "number"]

    def __str__(self) -> str:
        return f"incident {self.number} of {self.case_id}"


class TestimonyLink(models.Model):
    """One thing a testimony describes: an incident of its case, a place or a perpetrator."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="links")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT)
    perpetrator = models.ForeignKey(Perpetrator, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(incident__isnull=False, place__isnull=True, perpetrator__isnull=True)
                    | models.Q(incident__isnull=True, place__isnull=False, perpetrator__isnull=True)
                    | models.Q(incident__isnull=True, place__isnull=True, perpetrator__isnull=False)
                ),
                name="evidence_link_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"link of {self.testimony_id}"


class Bundle(ProtectedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being put together")
        APPROVED = "approved", _("Approved: the PDF is ready")
        SENT = "sent", _("Given out")

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20, choices=Scope.choices)
    title = EncryptedTextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Made at approval, from the redacted items: the PDF (manifest inside) and the manifest.
    pdf = EncryptedFileField()
    manifest = EncryptedJSONField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"bundle {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class BundleItem(models.Model):
    """A testimony (its redacted text) or one of its files, in a bundle."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    testimony = models.ForeignKey(Testimony, on_delete=models.PROTECT, related_name="+")
    case_file = models.ForeignKey(
        CaseFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bundle", "testimony", "case_file"], name="evidence_bundle_item_once"
            ),
            models.UniqueConstraint(
                fields=["bundle", "testimony"],
                condition=models.Q(case_file__isnull=True),
                name="evidence_bundle_text_once",
            ),
        ]

    def __str__(self) -> str:
        return f"item of {self.bundle_id}"


class CustodyEntry(ProtectedModel):
    """The bundle's PDF given to someone: to whom (encrypted), when, by whom, how."""

    key_owner_path = "bundle"

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="custody")
    given_on = models.DateField()
    recipient = EncryptedTextField()
    note = EncryptedTextField()  # how it was handed over, the PDF's SHA-256
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_on", "recorded_at"]
