"""Reads of documents, for a case the viewer may see (a ``cases.queries.CaseView``).

Documents are a section of the case like its people: whoever may read the case's sections
(desk, assignee, break-glass) reads them, and the caller records that read
(``cases.views.common.record_read``). ``missing_documents`` reads plain codes only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from passage.casefiles.models import CaseFile
from passage.casefiles.queries import files_attached
from passage.cases import queries as case_queries
from passage.cases.models import Person
from passage.cases.queries import CaseView, uuid_or_none
from passage.crypto import datakeys
from passage.documents.models import DOCUMENT_ATTACHMENT, REMINDER_DAYS, PersonDocument


@dataclass(frozen=True)
class DocumentRow:
    document: PersonDocument
    scans: tuple[CaseFile, ...]
    days_left: int | None  # until its expiry date, for one in hand that has one

    @property
    def expiring(self) -> bool:
        """Within the first reminder's reach (60 days)."""
        return self.days_left is not None and self.days_left <= max(REMINDER_DAYS)


@dataclass(frozen=True)
class PersonDocuments:
    """One person of the case and their documents (decrypted on use)."""

    person: Person
    rows: tuple[DocumentRow, ...]


def documents_of(view: CaseView) -> list[PersonDocuments]:
    """Every person of the case (principal first) with their documents and scans."""
    people = case_queries.people_of(view.case)
    documents = list(PersonDocument.objects.filter(case=view.case).select_related("created_by"))
    datakeys.preload(documents)
    scans = files_attached(view, DOCUMENT_ATTACHMENT, [d.pk for d in documents])
    by_person: dict[uuid.UUID, list[DocumentRow]] = {p.pk: [] for p in people}
    today = timezone.localdate()
    for document in documents:
        days_left = (
            (document.expires_on - today).days
            if document.expires_on is not None and document.status in PersonDocument.VALID
            else None
        )
        row = DocumentRow(document, tuple(scans.get(document.pk, ())), days_left)
        by_person.setdefault(document.person_id, []).append(row)
    return [PersonDocuments(p, tuple(by_person[p.pk])) for p in people]


def document_of(view: CaseView, document_id: object) -> PersonDocument | None:
    """A document of the case, or None (unknown, or of another case)."""
    pk = uuid_or_none(document_id)
    if pk is None:
        return None
    return (
        PersonDocument.objects.filter(case=view.case, pk=pk)
        .select_related("case", "person")
        .first()
    )


def scans_of(view: CaseView, document: PersonDocument) -> list[CaseFile]:
    return files_attached(view, DOCUMENT_ATTACHMENT, [document.pk])[document.pk]


def missing_documents(case_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The kinds of the documents each case still lacks (missing, applied for or expired),
    each kind once, for cases that have any; plain codes only, one query. For lists such as
    the journey board: the caller passes only cases its viewer may see."""
    ids = list(case_ids)
    if not ids:
        return {}
    found: dict[uuid.UUID, list[str]] = {}
    rows = (
        PersonDocument.objects.filter(case_id__in=ids, status__in=PersonDocument.LACKING)
        .order_by("case_id", "kind")
        .values_list("case_id", "kind")
    )
    for case_id, kind in rows:
        kinds = found.setdefault(case_id, [])
        if kind not in kinds:
            kinds.append(kind)
    return found
