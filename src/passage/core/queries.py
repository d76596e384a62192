"""Read-only checks of the installation's health."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

_migrations_seen_current = False


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def migrations_current() -> bool:
    """True when no migration is pending. Once true it stays true for this process."""
    global _migrations_seen_current
    if _migrations_seen_current:
        return True
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False
    _migrations_seen_current = not plan
    return _migrations_seen_current
