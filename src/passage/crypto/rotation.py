"""Key rotation: master key re-wrap, data-key replacement and blind-index rebuild.

All three are resumable: they commit in batches, keep their state in the database or in a
``.next`` key file, and pick up where they stopped when run again.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from passage.crypto import aead, blind, datakeys
from passage.crypto.exceptions import CryptoError, KeyFileError
from passage.crypto.fields import (
    Ciphertext,
    EncryptedFileField,
    ProtectedModel,
    StoredFile,
    delete_blobs,
    protected_models,
)
from passage.crypto.keyfiles import encode_key, key_id_for, read_key_file, write_secret_file
from passage.crypto.keyring import keyring, next_blind_index_path, next_master_path
from passage.crypto.models import BlindIndex, DataKey, RotationRun

BATCH = 200


@dataclass(frozen=True)
class RotationResult:
    new_key_id: str
    rewrapped: int


def _progress(total: int, desc: str, show: bool) -> tqdm[Any]:
    return tqdm(total=total, desc=desc, unit="rec", disable=not show, leave=True)


def _promote(next_path: Path, path: Path) -> None:
    """Make the successor key file the current one; the old key is gone from this server."""
    next_path.replace(path)
    keyring.reload()


def rotate_master(*, progress: bool = False, keep_old: Path | None = None) -> RotationResult:
    """Re-wrap every data key under a new master key, then replace the master key file.

    ``keep_old``: where to write the old master key before it is removed (for restoring older
    backups); it must not exist yet. Without it the old key is destroyed.
    """
    path: Path = settings.PASSAGE_KEYS["master"]
    next_path = next_master_path()
    if not next_path.exists():
        try:
            write_secret_file(next_path, encode_key(secrets.token_bytes(32)))
        except OSError:
            raise KeyFileError("Cannot write the new master key beside the current one.") from None
    keyring.reload()
    new = keyring.wrapping_key()
    remaining = DataKey.objects.exclude(master_key_id=new.key_id)
    bar = _progress(remaining.count(), "re-wrapping data keys", progress)
    done = 0
    while True:
        with transaction.atomic():
            batch = list(remaining.select_for_update().order_by("pk")[:BATCH])
            for data_key in batch:
                key = datakeys.unwrap(data_key)
                data_key.wrapped, data_key.master_key_id = datakeys.wrap(
                    key=key, key_id=data_key.id, owner_id=data_key.owner_id
                )
                data_key.save(update_fields=["wrapped", "master_key_id"])
        if not batch:
            break
        done += len(batch)
        bar.update(len(batch))
    bar.close()
    if keep_old is not None:
        write_secret_file(keep_old, path.read_bytes())
    _promote(next_path, path)
    return RotationResult(new.key_id, done)


def _rows(model: type[ProtectedModel]) -> Iterator[list[ProtectedModel]]:
    """All rows of ``model`` in primary-key batches (stable across concurrent inserts)."""
    last: uuid.UUID | None = None
    while True:
        query = model._default_manager.order_by("pk")
        if last is not None:
            query = query.filter(pk__gt=last)
        batch = list(query[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _reseal_row(row: ProtectedModel, retiring: set[uuid.UUID], stale_blobs: list[str]) -> bool:
    """Re-encrypt the fields of ``row`` sealed by a retiring key; True if anything changed."""
    changed: dict[str, Any] = {}
    for f in row.encrypted_fields():
        held = row.__dict__.get(f.attname)
        if not isinstance(held, Ciphertext) or aead.key_id_of(held) not in retiring:
            continue
        value = getattr(row, f.attname)  # decrypts with the retiring key
        if isinstance(f, EncryptedFileField) and isinstance(value, StoredFile):
            from passage.crypto.fields import PlainFile

            stale_blobs.append(value.blob_id)
            value = PlainFile(value.name, value.read(), value.content_type)
        row.__dict__[f.attname] = value
        changed[f.name] = f.pre_save(row, add=False)  # encrypts with the owner's active key
    if changed:
        type(row)._default_manager.filter(pk=row.pk).update(**changed)
    return bool(changed)


def rotate_data_keys(*, progress: bool = False, settle_seconds: float = 0.0) -> int:
    """Give every record a new data key and re-encrypt its fields and files; returns rows changed.

    For use after a suspected compromise of data keys. Resumable: keys being replaced are
    marked ``retiring`` and deleted only after no ciphertext names them any more.
    """
    run = RotationRun.objects.filter(kind=RotationRun.Kind.DATA_KEYS, finished_at=None).first()
    if run is None:
        with transaction.atomic():
            run = RotationRun.objects.create(kind=RotationRun.Kind.DATA_KEYS)
            DataKey.objects.filter(status=DataKey.Status.ACTIVE).update(
                status=DataKey.Status.RETIRING
            )
    datakeys.cache.clear()
    retiring = set(
        DataKey.objects.filter(status=DataKey.Status.RETIRING).values_list("id", flat=True)
    )
    models_ = protected_models()
    changed = 0
    # Two passes: the second catches rows written with a retiring key by a transaction that
    # was in flight while the first pass went by.
    for pass_no in (1, 2):
        if pass_no == 2 and settle_seconds:
            time.sleep(settle_seconds)
        total = sum(m._default_manager.count() for m in models_)
        bar = _progress(total, f"re-encrypting (pass {pass_no})", progress)
        for model in models_:
            for batch in _rows(model):
                stale: list[str] = []
                with transaction.atomic():
                    changed += sum(_reseal_row(row, retiring, stale) for row in batch)
                    transaction.on_commit(lambda s=stale: delete_blobs(s))  # type: ignore[misc]
                bar.update(len(batch))
        bar.close()
    with transaction.atomic():
        DataKey.objects.filter(id__in=retiring).delete()
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    datakeys.cache.clear()
    return changed


def reindex(*, progress: bool = False) -> RotationResult:
    """Rebuild every blind index under a new root key, then replace the root key file."""
    path: Path = settings.PASSAGE_KEYS["blind_index"]
    next_path = next_blind_index_path()
    if not next_path.exists():
        try:
            write_secret_file(next_path, encode_key(secrets.token_bytes(32)))
        except OSError:
            raise KeyFileError(
                "Cannot write the new blind-index key beside the current one."
            ) from None
    keyring.reload()
    new = keyring.blind_next()
    if new is None:  # pragma: no cover - written just above
        raise CryptoError("The new blind-index key vanished.")
    models_ = [m for m in protected_models() if any(f.blind_index for f in m.encrypted_fields())]
    bar = _progress(sum(m._default_manager.count() for m in models_), "re-indexing", progress)
    rows_done = 0
    for model in models_:
        indexed = [f for f in model.encrypted_fields() if f.blind_index]
        for batch in _rows(model):
            with transaction.atomic():
                for row in batch:
                    values = {f.name: getattr(row, f.attname) for f in indexed}
                    BlindIndex.objects.filter(
                        row_id=row.pk, root_key_id=new.key_id, field__in=list(values)
                    ).delete()
                    BlindIndex.objects.bulk_create(blind._rows_for(row, values, new))
            rows_done += len(batch)
            bar.update(len(batch))
    bar.close()
    with transaction.atomic():
        BlindIndex.objects.exclude(root_key_id=new.key_id).delete()
        _promote(next_path, path)
    return RotationResult(new.key_id, rows_done)


def master_key_id_of_file(path: Path) -> str:
    return key_id_for("master", read_key_file(path, label="master"))
