"""Export this case: one JSON document with everything the case holds, audited.

The case's own sections come from ``cases.export``; this adds every admin-defined field value
(label, kind, value, retired or not) and the checklists' state. An export is a read, but of
everything at once, so it needs its own permission, a working relation to the case (not
break-glass) and a recent second factor (the view), and writes ``case.exported``.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.casefields import queries
from passage.cases import access
from passage.cases import export as case_export_sections
from passage.cases.models import Case
from passage.cases.services import common


def _extra(case: Case) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    fields: list[dict[str, Any]] = []
    checklists: dict[str, list[dict[str, Any]]] = {}
    for block in queries.details_of(case):
        for line in block.fields:
            fields.append(
                {
                    "section": block.code,
                    "label": line.definition.label,
                    "kind": line.definition.kind,
                    "value": line.value,
                    "retired": not line.definition.active,
                }
            )
        for line in block.checks:
            state = line.value if isinstance(line.value, dict) else {}
            checklists.setdefault(block.code, []).append(
                {
                    "label": line.definition.label,
                    "done": bool(state.get("done")),
                    "note": state.get("note", ""),
                    "retired": not line.definition.active,
                }
            )
    return fields, checklists


def case_export(*, case: Case, actor: User, request_id: str | None = None) -> dict[str, Any]:
    """The whole case as a JSON-ready document, for an actor who works it and may export."""
    access.require_working(actor, case, Perm.CASES_EXPORT)
    with audit.atomic():
        locked = common.lock(case)
        document: dict[str, Any] = {
            "format": case_export_sections.FORMAT,
            "version": case_export_sections.VERSION,
            "exported_at": timezone.now().isoformat(),
            **case_export_sections.case_sections(locked),
        }
        document["fields"], document["checklists"] = _extra(locked)
        common.record(actor, "case.exported", locked, request_id=request_id)
    return document
