"""Fixtures for the letters tests: the cases tests' personas and cases, a case with a Cyrillic
legal name, and templates written by an admin through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from passage.accounts.models import PartnerOrganisation, User
from passage.cases.models import Case, Consent
from passage.cases.services import consent
from passage.dossiers.models import LetterTemplate
from passage.dossiers.services import templates
from tests.cases.conftest import (
    open_case,
    other_partner_org,
    partner_org,
    person,
    screener,
    verifier,
)
from tests.cases.views.conftest import north_case, south_case

__all__ = [
    "north_case",
    "open_case",
    "other_partner_org",
    "partner_org",
    "screener",
    "south_case",
    "verifier",
]

CYRILLIC = "Зелимхан Магомедович Бакаев"
ARABIC = "محمد عبد الله"


@pytest.fixture
def cyrillic_case(open_case: Callable[..., Case]) -> Case:
    return open_case(
        details=person(
            "Zelim",
            legal_name=CYRILLIC,
            birth_date=dt.date(1994, 3, 8),
            nationality="Russian Federation",
        ),
        narrative=f"Story told by {ARABIC}: detained in Grozny.",
        country="RU",
    )


@pytest.fixture
def write(admin: User) -> Callable[..., LetterTemplate]:
    """A template written by the admin (or ``actor``): to UNHCR, in English, using the person
    section."""

    def make(
        code: str = "unhcr-referral",
        body: str = "Referral of {{ person.legal_name }}, born {{ person.birth_date }}.\n\n"
        "Case {{ case.reference }}.",
        actor: User | None = None,
        **kwargs: Any,
    ) -> LetterTemplate:
        fields: dict[str, Any] = {
            "name": "UNHCR referral",
            "recipient_kind": "unhcr",
            "language": "en",
            **kwargs,
        }
        return templates.template_create(actor=actor or admin, code=code, body=body, **fields)

    return make


@pytest.fixture
def unhcr_office(db: None, desk_north: Any) -> PartnerOrganisation:
    org = PartnerOrganisation.objects.create(
        code="UNHCR-MOW", name="UNHCR Moscow", kind=PartnerOrganisation.Kind.UNHCR
    )
    org.desks.add(desk_north)
    return org


@pytest.fixture
def agree(caseworker: User) -> Callable[..., Consent]:
    """Record the person's consent (to any UNHCR office, for the person section by default)."""

    def make(
        case: Case,
        *,
        kind: str = "unhcr",
        sections: set[str] | None = None,
        partner: PartnerOrganisation | None = None,
    ) -> Consent:
        return consent.consent_record(
            case=case,
            recipient_kind=kind,
            sections=sections or {"person"},
            given_on=timezone.localdate(),
            how_given="on a call",
            actor=caseworker,
            partner=partner,
        )

    return make
