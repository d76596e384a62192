"""Helpers: requests through the real public and screening services, statistics from the
plaintext columns only, audit entries of an action."""

from __future__ import annotations

from collections import Counter

from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.cases.models import rollups as rollup_models
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
        # What the dashboards, funder reports and public statistics read (passage.reports).
        **{
            model.__name__: Counter(
                tuple(sorted(row.items()))
                for row in model.objects.values(
                    *[f.attname for f in model._meta.concrete_fields if not f.primary_key]
                )
            )
            for model in (
                rollup_models.CaseRollup,
                rollup_models.CaseTotal,
                rollup_models.ArrivalRollup,
                rollup_models.StageRollup,
            )
        },
    }


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("sequence"))
