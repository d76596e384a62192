"""The public tier's memory-only store: Redis that persists nothing (DESIGN "Known pitfalls").

Holds what must never reach the database or a disk: mailbox sessions with their private keys,
rate-limit counters, per-address windows. Every key carries ``PASSAGE_REDIS_PREFIX``.
"""

from __future__ import annotations

import threading

import redis
from django.conf import settings

_lock = threading.Lock()
_client: redis.Redis | None = None
_client_url = ""


class StoreUnavailable(Exception):
    """The memory store cannot be reached; public pages answer a calm 503."""


def client() -> redis.Redis:
    """A shared client (a connection pool per process) for ``PASSAGE_REDIS_URL``."""
    global _client, _client_url
    with _lock:
        if _client is None or _client_url != settings.PASSAGE_REDIS_URL:
            _client = redis.Redis.from_url(
                settings.PASSAGE_REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            )
            _client_url = settings.PASSAGE_REDIS_URL
        return _client


def key(*parts: str) -> str:
    """A namespaced key: ``<prefix>:<part>:<part>``."""
    return ":".join((settings.PASSAGE_REDIS_PREFIX, *parts))


def call(operation: str, *args: object, **kwargs: object) -> object:
    """Run one Redis command, turning connection trouble into ``StoreUnavailable``."""
    try:
        return getattr(client(), operation)(*args, **kwargs)
    except (redis.ConnectionError, redis.TimeoutError):
        raise StoreUnavailable("The memory store is unreachable.") from None
