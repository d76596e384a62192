"""Crypto-shredding: destroy a record's data keys so its protected data is gone for good.

The shred ledger is the ``ShredRecord`` table, copied into every backup, and mirrored in an
append-only file (``settings.PASSAGE_SHRED_LEDGER``, one JSON line per shred, ids only) that
lives beside the database so that a restore of an older backup can replay shreds made since
(``merge_ledger`` then ``replay_ledger``). ``PASSAGE_SHRED_HOOKS`` names, by dotted path,
functions ``hook(owner_type, owner_id)`` that empty what is not an encrypted field (sealed
boxes of a help request, for instance); they run inside the shred's transaction and again for
every ledger entry on replay, so they must be idempotent.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

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

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the shred ledger: which record, of which model, when (ids only)."""

    owner_type: str
    owner_id: uuid.UUID
    shredded_at: dt.datetime

    def as_json(self) -> dict[str, str]:
        return {
            "owner_type": self.owner_type,
            "owner_id": str(self.owner_id),
            "shredded_at": self.shredded_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: object) -> LedgerEntry:
        if not isinstance(data, dict):
            raise CryptoError("A shred ledger line is not an object.")
        try:
            moment = dt.datetime.fromisoformat(str(data["shredded_at"]))
            owner_type = str(data["owner_type"])
            if not owner_type or len(owner_type) > 100:
                raise ValueError
            return cls(owner_type, uuid.UUID(str(data["owner_id"])), moment)
        except (KeyError, ValueError):
            raise CryptoError("A shred ledger line is malformed.") from None


def _hooks() -> list[Callable[[str, uuid.UUID], object]]:
    paths: Iterable[str] = getattr(settings, "PASSAGE_SHRED_HOOKS", ())
    return [import_string(path) for path in paths]


def ledger_path() -> Path | None:
    path = getattr(settings, "PASSAGE_SHRED_LEDGER", None)
    return Path(path) if path else None


def _append_ledger_file(entries: list[LedgerEntry]) -> None:
    """Append to the ledger file (after commit). A failure is logged, never raised: the
    database ledger is the authority; the file is the copy that outlives a lost database."""
    path = ledger_path()
    if path is None or not entries:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            data = "".join(json.dumps(e.as_json(), sort_keys=True) + "\n" for e in entries)
            os.write(fd, data.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        logger.warning("shred ledger file not written (%s)", type(exc).__name__)


def read_ledger_file(path: Path) -> list[LedgerEntry]:
    """The entries of a ledger file (JSON lines); a torn last line is ignored."""
    entries = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):
                continue  # a write interrupted by a crash
            raise CryptoError(f"Line {number} of the shred ledger file is not JSON.") from None
        entries.append(LedgerEntry.from_json(data))
    return entries


def write_ledger_file(path: Path, entries: Iterable[LedgerEntry]) -> None:
    """Rewrite a ledger file with ``entries`` (after a restore merged several ledgers)."""
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        data = "".join(json.dumps(e.as_json(), sort_keys=True) + "\n" for e in entries)
        os.write(fd, data.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)


def ledger_entries() -> list[LedgerEntry]:
    """The database ledger, oldest first."""
    return [
        LedgerEntry(r.owner_type, r.owner_id, r.shredded_at)
        for r in ShredRecord.objects.order_by("shredded_at", "owner_id").iterator()
    ]


def merge_ledger(entries: Iterable[LedgerEntry]) -> int:
    """Add ledger entries the database lacks (keeping their times); returns how many."""
    added = 0
    with transaction.atomic():
        known = set(ShredRecord.objects.values_list("owner_id", flat=True))
        for entry in entries:
            if entry.owner_id in known:
                continue
            record = ShredRecord.objects.create(
                owner_type=entry.owner_type, owner_id=entry.owner_id
            )
            ShredRecord.objects.filter(pk=record.pk).update(shredded_at=entry.shredded_at)
            known.add(entry.owner_id)
            added += 1
    return added


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
        ledger, created = ShredRecord.objects.get_or_create(
            owner_id=owner_id, defaults={"owner_type": owner_type}
        )
        for hook in _hooks():
            hook(owner_type, owner_id)
        transaction.on_commit(lambda: delete_blobs(blob_ids))
        if created:
            entry = LedgerEntry(owner_type, owner_id, ledger.shredded_at or timezone.now())
            transaction.on_commit(lambda: _append_ledger_file([entry]))
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
    """Shred again every record in the ledger that still has keys (after a restore).

    The shred hooks run for every entry (they empty what is no encrypted field). Returns how
    many records still had keys."""
    replayed = 0
    hooks = _hooks()
    for entry in ShredRecord.objects.order_by("shredded_at", "owner_id").iterator():
        if hooks:
            with transaction.atomic():
                for hook in hooks:
                    hook(entry.owner_type, entry.owner_id)
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
