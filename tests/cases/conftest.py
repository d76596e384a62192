"""Fixtures for the cases tests: personas on desks, and cases opened through the real services.

Personas (see tests/personas.py for the shared ones): ``caseworker`` (North desk),
``colleague`` (South desk), ``desk_lead`` (lead of North), ``verifier`` (North), ``screener``
(North), ``partner_user`` (of ``partner_org``, which works with the North desk), ``admin``,
``auditor``; ``outsider`` is an anonymous client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import opening
from passage.cases.services.people import ChannelDetails, PersonDetails
from tests.personas import make_staff


@pytest.fixture
def verifier(desk_north: Desk) -> User:
    return make_staff("verifier", Role.VERIFIER, desks=(desk_north,))


@pytest.fixture
def second_verifier(desk_north: Desk) -> User:
    return make_staff("verifier2", Role.VERIFIER, desks=(desk_north,))


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_staff("screener", Role.SCREENER, desks=(desk_north,))


@pytest.fixture
def partner_org(db: None, desk_north: Desk) -> PartnerOrganisation:
    """Overrides the shared fixture: the organisation works with the North desk."""
    org = PartnerOrganisation.objects.create(code="P-001", name="Regional network")
    org.desks.add(desk_north)
    return org


@pytest.fixture
def other_partner_org(db: None, desk_north: Desk) -> PartnerOrganisation:
    org = PartnerOrganisation.objects.create(
        code="P-002", name="Lawyers' collective", kind=PartnerOrganisation.Kind.LAWYER
    )
    org.desks.add(desk_north)
    return org


def person(name: str = "Test Person", **extra: Any) -> PersonDetails:
    return PersonDetails(chosen_name=name, **extra)


def channel(value: str, kind: str = "signal") -> ChannelDetails:
    return ChannelDetails(kind=kind, value=value)


@pytest.fixture
def open_case(caseworker: User, desk_north: Desk) -> Callable[..., Case]:
    """Open a case on the North desk as the caseworker (or ``actor``/``desk`` given)."""

    def make(
        name: str = "Test Person",
        *,
        actor: User | None = None,
        desk: Desk | None = None,
        channels: list[ChannelDetails] | None = None,
        **kwargs: Any,
    ) -> Case:
        details = kwargs.pop("details", None) or person(name)
        return opening.case_open(
            desk=desk or desk_north,
            actor=actor or caseworker,
            person=details,
            channels=channels or [],
            **kwargs,
        )

    return make


@pytest.fixture
def south_lead(desk_south: Desk) -> User:
    """Lead of the South desk (the other compartment)."""
    return make_staff("south-lead", Role.CASEWORKER, desks=(desk_south,), lead_of=(desk_south,))


@pytest.fixture
def other_partner_user(other_partner_org: PartnerOrganisation) -> User:
    return make_staff("partner2", Role.PARTNER, partner=other_partner_org)


@pytest.fixture
def south_partner_org(db: None, desk_south: Desk) -> PartnerOrganisation:
    """An organisation that works with the South desk only."""
    org = PartnerOrganisation.objects.create(code="P-003", name="Southern network")
    org.desks.add(desk_south)
    return org


@pytest.fixture
def caseworker2(desk_north: Desk) -> User:
    """A second caseworker on the North desk (not its lead)."""
    return make_staff("caseworker2", Role.CASEWORKER, desks=(desk_north,))


@pytest.fixture
def both_desks(desk_north: Desk, desk_south: Desk) -> User:
    """A caseworker on both desks (can work cases of either)."""
    return make_staff("both", Role.CASEWORKER, desks=(desk_north, desk_south))
