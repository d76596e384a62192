"""Periodic job of exports, run by the console's scheduler (idempotent)."""

from __future__ import annotations

from passage.exports import services


def exports_expire() -> int:
    """Shred full exports 7 days after they were asked for (waiting or ready)."""
    return services.exports_expire()
