"""Periodic jobs of safety (idempotent; each returns a count)."""

from __future__ import annotations

from passage.safety.services import checkins, escalation


def checkins_open() -> int:
    """Open the sealed mailbox check-ins and words, and act on them."""
    return checkins.checkins_open()


def checkins_escalate() -> int:
    """Escalate missed check-ins: caseworker, desk lead, lost contact."""
    return escalation.checkins_escalate()
