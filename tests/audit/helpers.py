"""Small helpers shared by the audit tests."""

from __future__ import annotations

import uuid

from passage.audit import services as audit
from passage.audit.models import AuditEntry


def record(object_id: str | None = None, *, action: str = "case.view", **extra: str) -> str:
    """Record one entry with plausible values; return its object id."""
    object_id = object_id or str(uuid.uuid4())
    audit.record(
        actor=extra.pop("actor", f"user:{uuid.UUID(int=7)}"),
        action=action,
        object_type=extra.pop("object_type", "case"),
        object_id=object_id,
        **extra,
    )
    return object_id


def sequences() -> list[int]:
    return list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
