"""Personas for tests: who is acting, with real users, desks and fully signed-in sessions.

- ``caseworker``: a caseworker on the North desk
- ``colleague``: a caseworker on the South desk (another compartment)
- ``desk_lead``: lead of the North desk
- ``screener``: an intake screener, also a member of the North desk
- ``admin``, ``auditor``: installation roles
- ``partner_user``: a person of a partner organisation
- ``interpreter``: an interpreter (no desk: they see only the cases given to them)
- ``outsider``: nobody (an anonymous browser)

``sign_in_as(user)`` returns a CSRF-enforcing client whose session has completed the second
factor, as if the person had signed in through the pages.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts import sessions
from passage.accounts.models import (
    Desk,
    Membership,
    PartnerOrganisation,
    RoleGrant,
    StaffSession,
    User,
)
from passage.accounts.roles import Role

PASSWORD = "correct horse battery staple 42"


def make_staff(
    username: str,
    *roles: Role,
    desks: tuple[Desk, ...] = (),
    lead_of: tuple[Desk, ...] = (),
    partner: PartnerOrganisation | None = None,
) -> User:
    user = User(username=username, partner=partner)
    user.set_password(PASSWORD)
    user.save()
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    for desk in desks:
        Membership.objects.create(user=user, desk=desk, is_lead=desk in lead_of)
    for desk in lead_of:
        Membership.objects.get_or_create(user=user, desk=desk, defaults={"is_lead": True})
    return user


def sign_in_as(user: User, *, second_factor: bool = True) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    if second_factor:
        sessions.mark_second_factor_in(session)
    session.save()
    StaffSession.objects.create(
        user=user,
        session_key_hash=sessions.key_hash(session.session_key or ""),
        device="Test client",
        second_factor_at=None,
    )
    return client


@pytest.fixture
def desk_north(db: None) -> Desk:
    return Desk.objects.create(name="North Caucasus")


@pytest.fixture
def desk_south(db: None) -> Desk:
    return Desk.objects.create(name="Middle East and North Africa")


@pytest.fixture
def partner_org(db: None) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(code="P-001", name="Regional network")


@pytest.fixture
def caseworker(desk_north: Desk) -> User:
    return make_staff("caseworker", Role.CASEWORKER, desks=(desk_north,))


@pytest.fixture
def colleague(desk_south: Desk) -> User:
    return make_staff("colleague", Role.CASEWORKER, desks=(desk_south,))


@pytest.fixture
def desk_lead(desk_north: Desk) -> User:
    return make_staff("lead", Role.CASEWORKER, desks=(desk_north,), lead_of=(desk_north,))


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_staff("screener", Role.SCREENER, desks=(desk_north,))


@pytest.fixture
def admin(db: None) -> User:
    return make_staff("admin", Role.ADMIN)


@pytest.fixture
def auditor(db: None) -> User:
    return make_staff("auditor", Role.AUDITOR)


@pytest.fixture
def partner_user(partner_org: PartnerOrganisation) -> User:
    return make_staff("partner", Role.PARTNER, partner=partner_org)


@pytest.fixture
def interpreter(db: None) -> User:
    return make_staff("interpreter", Role.INTERPRETER)


@pytest.fixture
def outsider() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def signed_in() -> Callable[..., Client]:
    return sign_in_as
