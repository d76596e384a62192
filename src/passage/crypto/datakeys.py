"""Per-record data keys: creation, wrapping by the master key, and a short-lived unwrap cache."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterable

from django.db import models

from passage.crypto import aead
from passage.crypto.exceptions import KeyNotFound, RecordShredded
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


def key_by_id(key_id: uuid.UUID) -> bytes:
    """The unwrapped data key ``key_id``; RecordShredded if its record was shredded."""
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
    """The active data key of a record, created on first use. Not cached: rotation retires keys."""
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
