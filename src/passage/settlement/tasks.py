"""Periodic jobs of settlement, run by the scheduler through the task queue (idempotent)."""

from __future__ import annotations

from passage.settlement.services import reminders


def follow_up_alerts() -> int:
    """Alert the assignee (or the desk's settlement workers) once when a follow-up falls due."""
    return reminders.follow_up_sweep()
