"""Reads of case files, for a case the viewer may already see (``cases.queries.case_for``).

Lists use plain columns only (number, kind, type, size, who, when, what the file hangs on);
with ``readable=True`` the case's key is unwrapped once, so names and descriptions decrypt
without a query each (the view records that read first).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from passage.casefiles.models import CaseFile
from passage.cases.queries import CaseView, uuid_or_none
from passage.crypto import datakeys


def files_of(view: CaseView, *, readable: bool = False) -> list[CaseFile]:
    """The case's files, oldest first; removed ones (tombstones) included, marked."""
    rows = list(CaseFile.objects.filter(case=view.case).select_related("uploaded_by", "removed_by"))
    if readable:
        datakeys.preload(rows)
    return rows


def file_of(view: CaseView, file_id: object) -> CaseFile | None:
    """One file of the case, or None (unknown, or of another case)."""
    pk = uuid_or_none(file_id)
    if pk is None:
        return None
    return CaseFile.objects.filter(case=view.case, pk=pk).select_related("case").first()


def files_attached(
    view: CaseView, kind: str, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[CaseFile]]:
    """The files of the case attached to ``kind`` objects with these ids (removed ones left
    out), by object id: e.g. the attachments of the contacts a log page shows."""
    wanted = list(ids)
    found: dict[uuid.UUID, list[CaseFile]] = {pk: [] for pk in wanted}
    if not wanted:
        return found
    rows = CaseFile.objects.filter(
        case=view.case, attached_kind=kind, attached_id__in=wanted, removed_at__isnull=True
    ).select_related("uploaded_by")
    for row in rows:
        if row.attached_id is not None:
            found[row.attached_id].append(row)
    return found
