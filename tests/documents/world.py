"""What the access matrix's world needs of documents: a document of the North case's principal
(by the caseworker), by id (``tests/test_access_matrix.py``)."""

from __future__ import annotations

from passage.accounts.models import User
from passage.cases.models import Case
from passage.documents.services.documents import DocumentDetails, document_add


def documents_world(case: Case, caseworker: User) -> dict[str, str]:
    document = document_add(
        case=case,
        person=case.people.get(is_principal=True),
        actor=caseworker,
        details=DocumentDetails(kind="international_passport", status="have", number="X1"),
    )
    return {"document": str(document.pk)}
