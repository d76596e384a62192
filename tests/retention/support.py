"""Helpers: requests through the real public and screening services, statistics from the
plaintext columns only, audit entries of an action."""

from __future__ import annotations

from collections import Counter

from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.intake.models import HelpRequest

MARKER = "RETENTION-MARKER-7f3a"


def statistics() -> dict[str, Counter[tuple[object, ...]]]:
    """Counts by stage, outcome, country and desk (cases) and by state (requests)."""
    return {
        "cases": Counter(
            Case.objects.values_list("stage", "outcome", "country", "desk_id").iterator()
        ),
        "requests": Counter(
            HelpRequest.objects.values_list("state", "urgency", "reply_language").iterator()
        ),
    }


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("sequence"))
