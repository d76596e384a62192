"""Periodic jobs of cases, run by the scheduler through the task queue (idempotent)."""

from __future__ import annotations

from passage.cases.services import approvals, triage


def emergency_reviews() -> int:
    """Alert about emergency help not reviewed within 72 hours."""
    return approvals.emergency_reviews_sweep()


def priority_refresh() -> int:
    """Refresh triage scores: time waiting and campaign boosts change with the calendar."""
    return triage.priority_sweep()
