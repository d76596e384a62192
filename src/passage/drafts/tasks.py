"""Periodic jobs of drafts, run by the console's scheduler (idempotent)."""

from __future__ import annotations

from passage.drafts import services


def drafts_expire() -> int:
    """Shred drafts older than 7 days without a save, and drafts of shredded records."""
    return services.drafts_expire()
