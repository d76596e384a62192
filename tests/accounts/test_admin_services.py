"""The admin services on their own: permission checked again, rules kept, every change audited."""

from __future__ import annotations

import pytest
from django.utils import timezone

from passage.accounts.exceptions import UsernameTaken
from passage.accounts.models import Desk, PartnerOrganisation, SecondFactorReset, User
from passage.accounts.roles import Role
from passage.accounts.services import admin as services
from passage.audit.models import AuditEntry
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def test_services_refuse_actors_without_the_permission(
    caseworker: User, desk_lead: User, auditor: User, desk_north: Desk
) -> None:
    for actor in (caseworker, desk_lead, auditor):
        with pytest.raises(services.NotAllowed):
            services.user_invite(username="x", roles=[Role.SCREENER], actor=actor)
        with pytest.raises(services.NotAllowed):
            services.user_suspend(user=caseworker, actor=actor)
        with pytest.raises(services.NotAllowed):
            services.desk_create(name="Y", actor=actor)
        with pytest.raises(services.NotAllowed):
            services.partner_create(code="Z", name="z", kind="ngo", actor=actor)
        with pytest.raises(services.NotAllowed):
            services.sessions_end_everyone(actor=actor)
        with pytest.raises(services.NotAllowed):
            services.second_factor_reset_request(user=caseworker, actor=actor)
    assert not AuditEntry.objects.exists()


def test_a_suspended_admin_can_do_nothing(admin: User, caseworker: User) -> None:
    admin.is_active = False
    admin.suspended_at = timezone.now()
    admin.save()
    with pytest.raises(services.NotAllowed):
        services.user_unlock(user=caseworker, actor=admin)


def test_invite_rules(admin: User, desk_north: Desk, partner_org: PartnerOrganisation) -> None:
    with pytest.raises(services.AdminRuleBroken):
        services.user_invite(username="a", roles=[], actor=admin)
    with pytest.raises(services.AdminRuleBroken):
        services.user_invite(username="a", roles=[Role.DESK_LEAD], actor=admin)
    with pytest.raises(services.AdminRuleBroken):
        services.user_invite(
            username="a", roles=[Role.CASEWORKER], lead_of=[desk_north], actor=admin
        )
    with pytest.raises(services.AdminRuleBroken):
        services.user_invite(
            username="a", roles=[Role.CASEWORKER], partner=partner_org, actor=admin
        )
    partner_org.is_active = False
    partner_org.save()
    with pytest.raises(services.AdminRuleBroken):
        services.user_invite(username="a", roles=[Role.PARTNER], partner=partner_org, actor=admin)
    user, link = services.user_invite(
        username="lead-a",
        roles=[Role.CASEWORKER],
        desks=[desk_north],
        lead_of=[desk_north],
        actor=admin,
    )
    assert Role.DESK_LEAD in user.roles
    assert link.startswith("/staff/invitation/")
    with pytest.raises(UsernameTaken):
        services.user_invite(username="LEAD-A", roles=[Role.SCREENER], actor=admin)
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["account.invited", "account.invitation_created"]


def test_the_last_active_admin_keeps_the_role(admin: User) -> None:
    other = make_staff("admin2", Role.ADMIN)
    services.user_suspend(user=other, actor=admin)
    with pytest.raises(services.AdminRuleBroken, match="own admin role"):
        services.user_access_change(user=admin, roles=[Role.AUDITOR], desks=[], actor=admin)
    with pytest.raises(services.AdminRuleBroken, match="last active admin"):
        services.user_suspend(user=admin, actor=admin)
    # With a second active admin, an admin may step down by suspending themselves.
    services.user_reactivate(user=other, actor=admin)
    services.user_suspend(user=admin, actor=admin)
    admin.refresh_from_db()
    assert admin.suspended_at is not None


def test_unchanged_access_writes_nothing(admin: User, caseworker: User, desk_north: Desk) -> None:
    changed = services.user_access_change(
        user=caseworker, roles=[Role.CASEWORKER], desks=[desk_north], actor=admin
    )
    assert not changed
    assert not AuditEntry.objects.exists()


def test_suspension_stops_open_invitations(admin: User) -> None:
    user, link = services.user_invite(username="new", roles=[Role.SCREENER], actor=admin)
    services.user_suspend(user=user, actor=admin)
    from passage.accounts.services import invitations

    assert invitations.invitation_find(link.rstrip("/").rsplit("/", 1)[-1]) is None
    with pytest.raises(services.AdminRuleBroken):
        services.invitation_reissue(user=user, actor=admin)


def test_reset_request_is_idempotent_and_closed_requests_stay_closed(
    admin: User, caseworker: User
) -> None:
    other = make_staff("admin2", Role.ADMIN)
    first = services.second_factor_reset_request(user=caseworker, actor=admin)
    assert services.second_factor_reset_request(user=caseworker, actor=other) == first
    assert SecondFactorReset.objects.count() == 1
    services.second_factor_reset_approve(reset=first, actor=other)
    with pytest.raises(services.AdminRuleBroken):
        services.second_factor_reset_approve(reset=first, actor=other)
    with pytest.raises(services.AdminRuleBroken):
        services.second_factor_reset_cancel(reset=first, actor=admin)
    assert AuditEntry.objects.filter(action="second_factor.reset_requested").count() == 1


def test_partner_change_without_changes_writes_nothing(
    admin: User, partner_org: PartnerOrganisation
) -> None:
    assert not services.partner_change(
        partner=partner_org, name="Regional network", kind="ngo", desks=[], actor=admin
    )
    assert not AuditEntry.objects.exists()
