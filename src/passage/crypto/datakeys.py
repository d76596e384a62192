"""Per-record data keys: creation, wrapping by the master key, and a short-lived unwrap cache."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, models, router, transaction
from django.utils import timezone

from passage.crypto import aead
from passage.crypto.bulkinsert import insert_rows
from passage.crypto.exceptions import CryptoError, KeyNotFound, RecordShredded
from passage.crypto.keyring import keyring
from passage.crypto.models import DataKey, ShredRecord

DATA_KEY_BYTES = 32
# Unwrapped keys are kept this long at most, so a shred elsewhere takes effect quickly here too.
CACHE_SECONDS = 30.0


def _wrap_aad(key_id: uuid.UUID, owner_id: uuid.UUID) -> bytes:
    return f"passage/v1|datakey|{key_id}|{owner_id}".encode()


def wrap(*, key: bytes, key_id: uuid.UUID, owner_id: uuid.UUID) -> tuple[bytes, str]:
    """Wrap ``key`` with the current master key; returns (wrapped bytes, master key id)."""
    master = keyring.wrapping_key()
    # The wrapping key id doubles as the ciphertext's key-id slot (it names the data key).
    wrapped = aead.encrypt(master.key, key_id, key, _wrap_aad(key_id, owner_id))
    return wrapped, master.key_id


def unwrap(data_key: DataKey) -> bytes:
    master = keyring.master_key(data_key.master_key_id)
    return aead.decrypt(
        master.key, bytes(data_key.wrapped), _wrap_aad(data_key.id, data_key.owner_id)
    )


class _UnwrappedCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[uuid.UUID, tuple[bytes, float]] = {}

    def get(self, key_id: uuid.UUID) -> bytes | None:
        with self._lock:
            hit = self._keys.get(key_id)
            if hit is None:
                return None
            if hit[1] < time.monotonic():
                del self._keys[key_id]
                return None
            return hit[0]

    def put(self, key_id: uuid.UUID, key: bytes) -> None:
        with self._lock:
            self._keys[key_id] = (key, time.monotonic() + CACHE_SECONDS)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


cache = _UnwrappedCache()


class _BulkScope:
    """The data keys of the owners a ``bulk_keys`` block prepared, held only inside it."""

    def __init__(self, outer: _BulkScope | None) -> None:
        self.by_owner: dict[uuid.UUID, tuple[uuid.UUID, bytes]] = (
            dict(outer.by_owner) if outer else {}
        )
        self.by_id: dict[uuid.UUID, bytes] = dict(outer.by_id) if outer else {}

    def add(self, owner_id: uuid.UUID, key_id: uuid.UUID, key: bytes) -> None:
        self.by_owner[owner_id] = (key_id, key)
        self.by_id[key_id] = key


_DATA_KEY_FIELDS = (
    "id",
    "owner_type",
    "owner_id",
    "wrapped",
    "master_key_id",
    "status",
    "created_at",
)
_bulk_scope: ContextVar[_BulkScope | None] = ContextVar("passage_bulk_keys", default=None)


def _id_chunks(ids: list[uuid.UUID], using: str) -> Iterator[list[uuid.UUID]]:
    # SQLite limits the parameters of one statement; PostgreSQL takes long IN lists well.
    size = 900 if connections[using].vendor == "sqlite" else 10_000
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@contextmanager
def bulk_keys(owners: Iterable[models.Model], *, using: str | None = None) -> Iterator[int]:
    """Prepare the data keys of many key owners at once, for ``bulk_create``.

    Inside the block, ``current_key_for`` serves these owners from memory, so bulk-creating
    their rows (and rows under their keys) costs no key query per encrypted field. Owners
    without an active key get a fresh one, wrapped and inserted in bulk; owners that have one
    keep it (unwrapped in one query); a shredded owner raises ``RecordShredded`` before anything
    is written. The keys are created in the block's transaction (a savepoint inside an outer
    one), so they roll back with whatever the block fails to write. The unwrapped keys are held
    only while the block runs (not in the 30 s cache). Yields how many keys were created.

    Call ``blind.index_bulk_created`` afterwards for rows with blind-indexed fields. Do not
    shred or rotate these owners inside the block.
    """
    alias = using or router.db_for_write(DataKey)
    owner_types: dict[uuid.UUID, str] = {}
    for owner in owners:
        if not isinstance(owner.pk, uuid.UUID):
            raise CryptoError(f"{type(owner).__name__} has no UUID yet; cannot own a data key.")
        owner_types[owner.pk] = owner._meta.label_lower
    ids = list(owner_types)
    scope = _BulkScope(_bulk_scope.get())
    with transaction.atomic(using=alias):
        for chunk in _id_chunks(ids, alias):
            shredded = ShredRecord.objects.using(alias).filter(owner_id__in=chunk)
            first = shredded.values_list("owner_id", flat=True).first()
            if first is not None:
                raise RecordShredded(
                    f"Record {first} was shredded; nothing new can be written to it."
                )
            existing = (
                DataKey.objects.using(alias)
                .filter(owner_id__in=chunk, status=DataKey.Status.ACTIVE)
                .order_by("owner_id", "created_at")
            )
            for data_key in existing:  # the newest active key of each owner wins, as below
                scope.add(
                    data_key.owner_id, data_key.id, cache.get(data_key.id) or unwrap(data_key)
                )
        fresh = []
        now = timezone.now()
        for owner_id in ids:
            if owner_id in scope.by_owner:
                continue
            key = os.urandom(DATA_KEY_BYTES)
            key_id = uuid.uuid4()
            wrapped, master_key_id = wrap(key=key, key_id=key_id, owner_id=owner_id)
            status = DataKey.Status.ACTIVE.value
            fresh.append(
                (key_id, owner_types[owner_id], owner_id, wrapped, master_key_id, status, now)
            )
            scope.add(owner_id, key_id, key)
        insert_rows(DataKey, _DATA_KEY_FIELDS, fresh, using=alias)
        token = _bulk_scope.set(scope)
        try:
            yield len(fresh)
        finally:
            _bulk_scope.reset(token)


def key_by_id(key_id: uuid.UUID) -> bytes:
    """The unwrapped data key ``key_id``; RecordShredded if its record was shredded."""
    scope = _bulk_scope.get()
    if scope is not None and key_id in scope.by_id:
        return scope.by_id[key_id]
    cached = cache.get(key_id)
    if cached is not None:
        return cached
    try:
        data_key = DataKey.objects.get(pk=key_id)
    except DataKey.DoesNotExist:
        raise KeyNotFound(
            f"Data key {key_id} does not exist (shredded or never created)."
        ) from None
    key = unwrap(data_key)
    cache.put(key_id, key)
    return key


def preload(rows: Iterable[models.Model]) -> int:
    """Unwrap, in one query, the data keys that the encrypted values of ``rows`` name.

    List pages call this so that showing N records costs one key query instead of N.
    Returns how many keys were loaded.
    """
    from passage.crypto.fields import Ciphertext

    wanted: set[uuid.UUID] = set()
    for row in rows:
        for value in row.__dict__.values():
            if isinstance(value, Ciphertext):
                key_id = aead.key_id_of(value)
                if cache.get(key_id) is None:
                    wanted.add(key_id)
    for data_key in DataKey.objects.filter(pk__in=wanted):
        cache.put(data_key.id, unwrap(data_key))
    return len(wanted)


def current_key_for(*, owner_type: str, owner_id: uuid.UUID) -> tuple[uuid.UUID, bytes]:
    """The active data key of a record, created on first use. Not cached: rotation retires keys.

    Inside a ``bulk_keys`` block, the keys it prepared are served from memory."""
    scope = _bulk_scope.get()
    if scope is not None:
        held = scope.by_owner.get(owner_id)
        if held is not None:
            return held
    data_key = (
        DataKey.objects.filter(owner_id=owner_id, status=DataKey.Status.ACTIVE)
        .order_by("-created_at")
        .first()
    )
    if data_key is not None:
        key = cache.get(data_key.id) or unwrap(data_key)
        cache.put(data_key.id, key)
        return data_key.id, key
    if ShredRecord.objects.filter(owner_id=owner_id).exists():
        raise RecordShredded(f"Record {owner_id} was shredded; nothing new can be written to it.")
    key = os.urandom(DATA_KEY_BYTES)
    key_id = uuid.uuid4()
    wrapped, master_key_id = wrap(key=key, key_id=key_id, owner_id=owner_id)
    DataKey.objects.create(
        id=key_id,
        owner_type=owner_type,
        owner_id=owner_id,
        wrapped=wrapped,
        master_key_id=master_key_id,
    )
    cache.put(key_id, key)
    return key_id, key
