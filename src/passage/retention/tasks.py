"""Periodic job of retention, run by the console's scheduler (idempotent)."""

from __future__ import annotations

import datetime as dt

from passage.retention import services


def retention_run(now: dt.datetime | None = None) -> int:
    """Shred what the retention policies make due; rotate and destroy intake keys. Returns
    how many records were shredded plus intake keys made or destroyed."""
    return services.run(now=now).total
