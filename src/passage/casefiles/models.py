"""Files of a case: scans, photos, PDFs and recordings, encrypted at rest under the case's key.

What the file is (its content, original name and the description staff gave it) is encrypted;
what lists need without decrypting stays plain: the number within the case, the kind and type
found from the content, the stored size, who added it and when, what it hangs on (a contact or
a note of the casework app, by code and id, never a foreign key between apps) and whether it was
removed. A removed file is a tombstone: its encrypted columns are emptied and its blob deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Case
from passage.crypto.fields import EncryptedFileField, EncryptedTextField, ProtectedModel


class CaseFile(ProtectedModel):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Picture")
        PDF = "pdf", _("PDF document")
        AUDIO = "audio", _("Sound recording")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    # "File 3" of the case: staff name files by it, and the download is named after it. Not
    # unique: files that a merge moved keep their number.
    number = models.PositiveIntegerField()
    # The content (checked and stripped of metadata) and its original name, encrypted.
    content = EncryptedFileField()
    description = EncryptedTextField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=40)  # found from the content, e.g. image/jpeg
    extension = models.CharField(max_length=8)  # of the real type: jpg, png, pdf, ogg...
    size = models.PositiveIntegerField()  # bytes, as stored (after stripping)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # What the file is attached to inside the case (e.g. "contact" or "note" and its id);
    # empty and None for a file of the case itself.
    attached_kind = models.CharField(max_length=20, blank=True, default="")
    attached_id = models.UUIDField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "number"]
        indexes = [
            models.Index(fields=["case", "uploaded_at"], name="casefile_case_idx"),
            models.Index(fields=["attached_kind", "attached_id"], name="casefile_attached_idx"),
        ]

    def __str__(self) -> str:
        return f"file {self.number} of {self.case_id}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
