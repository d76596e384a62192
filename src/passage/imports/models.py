"""Imports of cases from spreadsheets: the uploaded files (held encrypted, shredded when done)
and saved column mappings.

An ``ImportJob`` owns a data key of its own. The spreadsheet and the ZIP of files are kept
only as ``EncryptedFileField`` blobs under that key, the mapping, headers and the dry run's
errors in encrypted columns; when the import is done, fails or is abandoned the job is
shredded (key destroyed, blobs deleted), leaving a tombstone with its counts. Plain columns:
the desk, who and when, status, counts and the task id (the progress page reads them).

An ``ImportMapping`` is configuration (a name, column headers and target codes, e.g.
"Full name" -> ``person.chosen_name``), plain like an admin-defined field's definition.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.crypto.fields import EncryptedFileField, EncryptedJSONField, ProtectedModel


class ImportJob(ProtectedModel):
    """One import: uploaded, mapped, checked (dry run), then run by a background task."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded: choose what the columns hold")
        CHECKED = "checked", _("Checked")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Stopped by an error")
        ABANDONED = "abandoned", _("Abandoned")

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    source_kind = models.CharField(max_length=4)  # csv or xlsx
    has_archive = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    cases_created = models.PositiveIntegerField(default=0)
    notes_created = models.PositiveIntegerField(default=0)
    contacts_created = models.PositiveIntegerField(default=0)
    files_created = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, default="")
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # Encrypted under the job's own key, and shredded with it.
    source = EncryptedFileField()
    archive = EncryptedFileField()
    headers = EncryptedJSONField()  # [header, ...] in file order
    mapping = EncryptedJSONField()  # {header: target code}
    errors = EncryptedJSONField()  # [[row label, column or "", message], ...]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "changed_at"], name="imports_status_changed")]

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.destroyed_at is None and self.status in {
            self.Status.UPLOADED,
            self.Status.CHECKED,
        }

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ImportMapping(models.Model):
    """A saved mapping of column headers to fields, for the next file of the same shape."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=80)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    columns = models.JSONField(default=dict)  # {header: target code}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "name"], name="imports_mapping_name")
        ]

    def __str__(self) -> str:
        return self.name
