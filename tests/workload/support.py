"""Helpers of the workload tests: audit entries by action, and a page's CSRF token."""

from __future__ import annotations

from passage.audit.models import AuditEntry


def entries(action: str, object_id: str | None = None) -> list[AuditEntry]:
    found = AuditEntry.objects.filter(action=action)
    if object_id is not None:
        found = found.filter(object_id=object_id)
    return list(found.order_by("sequence"))
