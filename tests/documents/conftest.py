"""Fixtures for the documents tests: the casework tests' personas, cases and break-glass reader,
and documents recorded through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.documents.models import PersonDocument
from passage.documents.services.documents import DocumentDetails, document_add
from tests.casework.conftest import (
    break_glass,
    caseworker2,
    north_case,
    open_case,
    partner_org,
    south_case,
    south_lead,
)

__all__ = [
    "break_glass",
    "caseworker2",
    "north_case",
    "open_case",
    "partner_org",
    "south_case",
    "south_lead",
]

NUMBER = "MrkPassport-4510-778812"

Add = Callable[..., PersonDocument]


@pytest.fixture
def add_document(caseworker: User) -> Add:
    """Record a document of the principal of ``case`` as the caseworker."""

    def make(case: Case, *, actor: User | None = None, **fields: Any) -> PersonDocument:
        details = DocumentDetails(
            **{"kind": "international_passport", "status": "have", "number": NUMBER, **fields}
        )
        return document_add(
            case=case,
            person=case.people.get(is_principal=True),
            actor=actor or caseworker,
            details=details,
        )

    return make
