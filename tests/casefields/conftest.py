"""Fixtures for the admin-defined fields tests: the cases tests' personas and cases, and
definitions made by an admin through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from passage.accounts.models import User
from passage.casefields.models import FieldDefinition, Kind, Section
from passage.casefields.services import definitions
from tests.cases.conftest import caseworker2, open_case, partner_org, verifier
from tests.cases.views.conftest import north_case, south_case

__all__ = ["caseworker2", "north_case", "open_case", "partner_org", "south_case", "verifier"]

CHOICES = ["UNHCR mandate refugee", "Registered, waiting", "Not registered"]


@pytest.fixture
def define(admin: User) -> Callable[..., FieldDefinition]:
    """Add a definition as the admin (``section``, ``kind`` and ``label`` default sensibly)."""

    def make(
        label: str = "UNHCR status",
        *,
        kind: str = Kind.TEXT,
        section: str = Section.PERSON,
        **kwargs: Any,
    ) -> FieldDefinition:
        return definitions.definition_create(
            actor=admin, section=section, kind=kind, label=label, **kwargs
        )

    return make


@pytest.fixture
def choice_field(define: Callable[..., FieldDefinition]) -> FieldDefinition:
    return define("UNHCR status", kind=Kind.CHOICE, choices=CHOICES)


@pytest.fixture
def every_kind(define: Callable[..., FieldDefinition]) -> dict[str, FieldDefinition]:
    """One definition of each kind (the check on the departure checklist)."""
    return {
        Kind.TEXT: define("Hormone therapy supply", kind=Kind.TEXT),
        Kind.NUMBER: define("Months of supply needed", kind=Kind.NUMBER),
        Kind.DATE: define("Passport valid until", kind=Kind.DATE, section=Section.DEPARTURE),
        Kind.YES_NO: define("Has a passport", kind=Kind.YES_NO, section=Section.DEPARTURE),
        Kind.CHOICE: define("UNHCR status", kind=Kind.CHOICE, choices=CHOICES),
        Kind.CHECK: define("Safe phone handed over", kind=Kind.CHECK, section=Section.DEPARTURE),
    }
