"""Periodic jobs of documents, run by the scheduler through the task queue (idempotent)."""

from __future__ import annotations

from passage.documents.services import reminders


def expiry_reminders() -> int:
    """Remind of documents expiring in 60, 30 and 7 days; mark those past their date expired."""
    return reminders.expiry_sweep()
