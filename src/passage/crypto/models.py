"""Key storage: wrapped data keys, blind-index rows, the shred ledger and rotation runs.

None of these rows holds plaintext personal data: data keys are wrapped by the master key,
blind-index rows hold keyed HMACs, the ledger holds only record ids.
"""

from __future__ import annotations

import uuid

from django.db import models


class DataKey(models.Model):
    """One record's data key (AES-256), stored only wrapped by a master key."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        RETIRING = "retiring"  # being replaced by `passage keys rotate --data`

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_type = models.CharField(max_length=100)
    owner_id = models.UUIDField(db_index=True)
    wrapped = models.BinaryField()
    master_key_id = models.CharField(max_length=32, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner_id", "status"], name="crypto_datakey_owner_status")]

    def __str__(self) -> str:
        return f"data key {self.id} of {self.owner_type} {self.owner_id}"


class BlindIndex(models.Model):
    """A keyed HMAC of one normalised value (or name token) of one field of one row."""

    scope = models.CharField(max_length=40)
    digest = models.BinaryField(max_length=32)
    root_key_id = models.CharField(max_length=32)
    owner_id = models.UUIDField(db_index=True)
    row_type = models.CharField(max_length=100)
    row_id = models.UUIDField()
    field = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "digest", "root_key_id"], name="crypto_bidx_lookup"),
            models.Index(fields=["row_id", "field"], name="crypto_bidx_row"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} index of {self.row_type} {self.row_id}"


class ShredRecord(models.Model):
    """The shred ledger: which records were destroyed, replayed after any restore."""

    owner_type = models.CharField(max_length=100)
    owner_id = models.UUIDField(unique=True)
    shredded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"shredded {self.owner_type} {self.owner_id}"


class RotationRun(models.Model):
    """A resumable `passage keys rotate --data` or `passage keys reindex` run."""

    class Kind(models.TextChoices):
        DATA_KEYS = "data-keys"
        BLIND_INDEX = "blind-index"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} rotation {self.pk}"
