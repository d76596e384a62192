"""Periodic jobs of funds, run by the scheduler through the task queue (idempotent)."""

from __future__ import annotations

from passage.funds import stipends


def stipend_reminders() -> int:
    """Remind finance of stipend payments due in the next days."""
    return stipends.stipend_reminders_sweep()
