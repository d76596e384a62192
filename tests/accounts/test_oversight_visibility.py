"""accounts.visibility.case_access: who may see a case, over ids (cases come in a later issue)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from passage.accounts.models import AccessGrant, Desk, PartnerOrganisation, User
from passage.accounts.roles import Role
from passage.accounts.visibility import Access, active_grants, case_access
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

CASE = uuid.UUID("6f1a3c1e-1d1b-4c55-9a0e-1b2c3d4e5f60")


def grant(user: User, desk: Desk, *, expires_in: int = 3600, revoked: bool = False) -> AccessGrant:
    now = timezone.now()
    return AccessGrant.objects.create(
        user=user,
        object_id=CASE,
        desk=desk,
        reason="checking a duplicate referral",
        expires_at=now + dt.timedelta(seconds=expires_in),
        revoked_at=now if revoked else None,
    )


def test_desk_members_see_their_desk_cases(
    caseworker: User, desk_lead: User, colleague: User, desk_north: Desk
) -> None:
    assert case_access(caseworker, case_id=CASE, desk_id=desk_north.id) is Access.DESK
    assert case_access(desk_lead, case_id=CASE, desk_id=desk_north.id) is Access.DESK
    assert case_access(colleague, case_id=CASE, desk_id=desk_north.id) is Access.NONE
    assert not case_access(colleague, case_id=CASE, desk_id=desk_north.id)


def test_the_assignee_sees_the_case_on_any_desk(colleague: User, desk_north: Desk) -> None:
    access = case_access(colleague, case_id=CASE, desk_id=desk_north.id, assignee_id=colleague.id)
    assert access is Access.ASSIGNEE


def test_interpreters_see_only_cases_assigned_to_them(desk_north: Desk) -> None:
    interpreter = make_staff("interpreter", Role.INTERPRETER, desks=(desk_north,))
    assert case_access(interpreter, case_id=CASE, desk_id=desk_north.id) is Access.NONE
    assigned = case_access(
        interpreter, case_id=CASE, desk_id=desk_north.id, assignee_id=interpreter.id
    )
    assert assigned is Access.ASSIGNEE


def test_an_active_break_glass_grant_opens_the_case_flagged(
    colleague: User, desk_north: Desk
) -> None:
    grant(colleague, desk_north)
    access = case_access(colleague, case_id=CASE, desk_id=desk_north.id)
    assert access is Access.BREAK_GLASS and access.is_break_glass
    other = uuid.uuid4()
    assert case_access(colleague, case_id=other, desk_id=desk_north.id) is Access.NONE


def test_expired_or_revoked_grants_open_nothing(colleague: User, desk_north: Desk) -> None:
    expired = grant(colleague, desk_north, expires_in=-1)
    assert case_access(colleague, case_id=CASE, desk_id=desk_north.id) is Access.NONE
    expired.delete()
    grant(colleague, desk_north, revoked=True)
    assert case_access(colleague, case_id=CASE, desk_id=desk_north.id) is Access.NONE
    assert not active_grants(colleague).exists()


def test_a_grant_is_useless_without_the_break_glass_permission(
    admin: User, desk_north: Desk
) -> None:
    grant(admin, desk_north)
    assert case_access(admin, case_id=CASE, desk_id=desk_north.id) is Access.NONE


def test_partners_see_only_what_they_referred_or_was_shared(
    partner_user: User, partner_org: PartnerOrganisation, desk_north: Desk
) -> None:
    other = PartnerOrganisation.objects.create(code="P-002", name="Lawyer")
    assert case_access(partner_user, case_id=CASE, desk_id=desk_north.id) is Access.NONE
    referred = case_access(
        partner_user, case_id=CASE, desk_id=desk_north.id, referred_by_partner_id=partner_org.id
    )
    assert referred is Access.PARTNER
    shared = case_access(
        partner_user,
        case_id=CASE,
        desk_id=desk_north.id,
        referred_by_partner_id=other.id,
        shared_with_partner_ids=[other.id, partner_org.id],
    )
    assert shared is Access.PARTNER
    not_ours = case_access(
        partner_user,
        case_id=CASE,
        desk_id=desk_north.id,
        referred_by_partner_id=other.id,
        shared_with_partner_ids=[other.id],
    )
    assert not_ours is Access.NONE


def test_partners_never_get_in_through_a_desk(
    partner_org: PartnerOrganisation, desk_north: Desk
) -> None:
    partner = make_staff("partner-on-desk", Role.PARTNER, desks=(desk_north,), partner=partner_org)
    assert case_access(partner, case_id=CASE, desk_id=desk_north.id) is Access.NONE


def test_suspended_or_inactive_users_see_nothing(caseworker: User, desk_north: Desk) -> None:
    caseworker.is_active = False
    caseworker.save()
    assert case_access(caseworker, case_id=CASE, desk_id=desk_north.id) is Access.NONE
    caseworker.is_active = True
    caseworker.suspended_at = timezone.now()
    caseworker.save()
    assert case_access(caseworker, case_id=CASE, desk_id=desk_north.id) is Access.NONE


def test_auditors_and_admins_see_no_case_by_role_alone(
    auditor: User, admin: User, desk_north: Desk
) -> None:
    assert case_access(auditor, case_id=CASE, desk_id=desk_north.id) is Access.NONE
    assert case_access(admin, case_id=CASE, desk_id=desk_north.id) is Access.NONE
