"""The world of the export tests: two leads of the North desk, cases with marker strings in
every protected field, a consent for a partner organisation on some of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import consent, opening
from passage.cases.services.people import ChannelDetails, PersonDetails
from tests.personas import make_staff

MARK = "ZQXMARKER"


@dataclass
class World:
    desk: Desk
    lead: User
    second_lead: User
    partner: PartnerOrganisation
    consenting: Case
    silent: Case
    other_desk_case: Case


def marked_case(desk: Desk, actor: User, tag: str, *, name: str | None = None) -> Case:
    return opening.case_open(
        desk=desk,
        actor=actor,
        person=PersonDetails(
            chosen_name=name or f"{MARK}-name-{tag}",
            legal_name=f"{MARK}-legal-{tag}",
            pronouns="they",
            current_location=f"{MARK}-location-{tag}",
            health_needs=f"{MARK}-health-{tag}",
            protection_needs=f"{MARK}-protection-{tag}",
        ),
        channels=[ChannelDetails(kind="signal", value=f"+7900{tag}{MARK}")],
        narrative=f"{MARK}-narrative-{tag}",
        country="RU",
        region=f"{MARK}-region-{tag}",
        urgency=Case.Urgency.DAYS,
    )


@pytest.fixture
def world(desk_north: Desk, desk_south: Desk, colleague: User) -> World:
    lead = make_staff("lead-a", Role.CASEWORKER, desks=(desk_north,), lead_of=(desk_north,))
    second = make_staff("lead-b", Role.CASEWORKER, desks=(desk_north,), lead_of=(desk_north,))
    partner = PartnerOrganisation.objects.create(
        code="LAW-1", name="A lawyer", kind=PartnerOrganisation.Kind.LAWYER
    )
    consenting = marked_case(desk_north, lead, "1", name='=HYPERLINK("http://x")')
    silent = marked_case(desk_north, lead, "2")
    other = marked_case(desk_south, colleague, "3")
    consent.consent_record(
        case=consenting,
        recipient_kind=PartnerOrganisation.Kind.LAWYER,
        sections=["person", "contact", "narrative"],
        given_on=timezone.localdate() - dt.timedelta(days=1),
        how_given="on a call",
        actor=lead,
    )
    return World(desk_north, lead, second, partner, consenting, silent, other)
