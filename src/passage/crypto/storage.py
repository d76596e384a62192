"""Database housekeeping after shredding: reclaim (and on SQLite overwrite) freed space.

SQLite runs with ``PRAGMA secure_delete=ON`` (settings), so pages freed by an update or delete
are zeroed; ``VACUUM`` then rebuilds the file so no old page survives in its free list or in
the write-ahead log. PostgreSQL keeps old row versions until ``VACUUM`` marks them reusable;
it does not overwrite them, which is why the database's disk is encrypted (docs/deploy.md).
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)


def secure_delete_on(using: str = DEFAULT_DB_ALIAS) -> bool | None:
    """Whether SQLite's secure_delete is on for this connection (None on other databases)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        row = cursor.fetchone()
    return bool(row and int(row[0]) == 1)


def vacuum(*, tables: list[str] | None = None, using: str = DEFAULT_DB_ALIAS) -> bool:
    """VACUUM the database (SQLite: the whole file, then a WAL checkpoint; PostgreSQL: the
    named tables, or all). Only outside a transaction; returns False (and does nothing) inside
    one, or when the database refuses (logged by exception class only)."""
    connection = connections[using]
    if connection.in_atomic_block:
        return False
    quote = connection.ops.quote_name
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            elif connection.vendor == "postgresql":
                if tables:
                    cursor.execute("VACUUM " + ", ".join(quote(t) for t in tables))
                else:
                    cursor.execute("VACUUM")
            else:  # pragma: no cover - only SQLite and PostgreSQL are supported
                return False
    except DatabaseError as exc:
        logger.warning("vacuum failed (%s)", type(exc).__name__)
        return False
    return True
