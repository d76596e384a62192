"""Crypto-shredding: destroy a record's data keys so its protected data is gone for good."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction

from passage.crypto import datakeys
from passage.crypto.exceptions import CryptoError, KeyNotFound
from passage.crypto.fields import (
    EncryptedFileField,
    ProtectedModel,
    StoredFile,
    delete_blobs,
    owner_filter,
    protected_models,
)
from passage.crypto.models import BlindIndex, DataKey, ShredRecord


@dataclass(frozen=True)
class ShredResult:
    owner_type: str
    owner_id: uuid.UUID
    data_keys: int
    blind_index_rows: int
    rows_emptied: int
    files_deleted: int


def shred(record: ProtectedModel) -> ShredResult:
    """Destroy the data keys and blind-index rows of ``record`` (a key owner).

    Every row encrypted under its keys keeps only its plaintext operational columns (a
    tombstone); encrypted columns are emptied and encrypted files deleted. The shred ledger
    remembers the id so a restore from backup can shred it again. Callers write the audit entry.
    """
    if record.key_owner_path:
        raise CryptoError("Only a record that owns its data key can be shredded.")
    owner_type, owner_id = record.key_owner()
    blob_ids: list[str] = []
    rows_emptied = 0
    with transaction.atomic():
        for model in protected_models():
            selector = owner_filter(model, owner_type, owner_id)
            if selector is None:
                continue
            rows = model._default_manager.filter(**selector)
            file_fields = [f for f in model.encrypted_fields() if isinstance(f, EncryptedFileField)]
            for row in rows.iterator() if file_fields else []:
                for f in file_fields:
                    try:
                        value = getattr(row, f.attname)
                    except KeyNotFound:
                        continue
                    if isinstance(value, StoredFile):
                        blob_ids.append(value.blob_id)
            rows_emptied += rows.update(**{f.name: None for f in model.encrypted_fields()})
        blind_rows, _ = BlindIndex.objects.filter(owner_id=owner_id).delete()
        keys, _ = DataKey.objects.filter(owner_id=owner_id).delete()
        ShredRecord.objects.get_or_create(owner_id=owner_id, defaults={"owner_type": owner_type})
        transaction.on_commit(lambda: delete_blobs(blob_ids))
    datakeys.cache.clear()
    return ShredResult(owner_type, owner_id, keys, blind_rows, rows_emptied, len(blob_ids))


def erase(row: ProtectedModel) -> int:
    """Empty the encrypted columns of one row and delete its encrypted files after commit.

    For one row of a key owner that lives on (a removed file of a case): the owner's data key
    stays, since it encrypts its other rows, so a backup taken before keeps what was erased
    until the owner is shredded. The row stays as a tombstone with its plaintext operational
    columns. Run inside the caller's transaction; callers write the audit entry. Returns the
    number of files deleted.
    """
    blob_ids: list[str] = []
    for f in row.encrypted_fields():
        if isinstance(f, EncryptedFileField):
            try:
                value = getattr(row, f.attname)
            except KeyNotFound:
                value = None
            if isinstance(value, StoredFile):
                blob_ids.append(value.blob_id)
    fields = {f.name: None for f in row.encrypted_fields()}
    with transaction.atomic():
        type(row)._default_manager.filter(pk=row.pk).update(**fields)
        BlindIndex.objects.filter(row_id=row.pk).delete()
        transaction.on_commit(lambda: delete_blobs(blob_ids))
    for name in fields:
        row.__dict__[name] = None
    return len(blob_ids)


def replay_ledger() -> int:
    """Shred again every record in the ledger that still has keys (after a restore)."""
    replayed = 0
    for entry in ShredRecord.objects.all().iterator():
        if (
            DataKey.objects.filter(owner_id=entry.owner_id).exists()
            or BlindIndex.objects.filter(owner_id=entry.owner_id).exists()
        ):
            from django.apps import apps

            model = apps.get_model(entry.owner_type)
            record = model._default_manager.filter(pk=entry.owner_id).first()
            if isinstance(record, ProtectedModel):
                shred(record)
            else:
                BlindIndex.objects.filter(owner_id=entry.owner_id).delete()
                DataKey.objects.filter(owner_id=entry.owner_id).delete()
            replayed += 1
    return replayed
