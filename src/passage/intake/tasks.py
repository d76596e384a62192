"""Periodic jobs of intake, run by the console's scheduler (idempotent)."""

from __future__ import annotations

from passage.intake.services import public


def replies_expire() -> int:
    """Drop the mailbox copies of replies older than 30 days."""
    return public.replies_expire()
