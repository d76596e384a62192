"""Starting and lifting the lockdown: two different admins within ten minutes, every staff
session ended, partner accounts suspended and exactly those restored, exports disabled, all in
the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from passage.accounts.lockdown import exports_disabled, lockdown_active
from passage.accounts.models import Lockdown, LockdownSuspension, StaffSession, User
from passage.accounts.services import admin as admin_services
from passage.accounts.services import lockdown as services
from passage.accounts.services.lockdown import LockdownRefused
from passage.audit.models import AuditEntry
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))


def test_a_proposal_changes_nothing_until_a_second_admin_confirms(
    admin: User, second_admin: User, caseworker: User, partner_user: User
) -> None:
    sign_in_as(caseworker)
    lockdown = services.lockdown_propose(actor=admin)
    assert not lockdown_active() and not exports_disabled()
    assert StaffSession.objects.filter(ended_at=None).count() == 1
    with pytest.raises(LockdownRefused, match="second, different admin"):
        services.lockdown_confirm(lockdown=lockdown, actor=admin)
    assert not lockdown_active()

    ended = services.lockdown_confirm(lockdown=lockdown, actor=second_admin)
    assert ended == 1
    assert lockdown_active() and exports_disabled()
    assert StaffSession.objects.filter(ended_at=None).count() == 0
    partner_user.refresh_from_db()
    assert partner_user.suspended_at is not None and not partner_user.is_active
    assert list(LockdownSuspension.objects.values_list("user_id", flat=True)) == [partner_user.pk]
    done = actions()
    for action in (
        "lockdown.proposed",
        "lockdown.started",
        "account.suspended_by_lockdown",
        "account.session_ended",
        "account.sessions_ended_everyone",
        "lockdown.exports_disabled",
    ):
        assert action in done


def test_a_proposal_lapses_after_ten_minutes(admin: User, second_admin: User) -> None:
    now = timezone.now()
    lockdown = services.lockdown_propose(actor=admin, now=now)
    with pytest.raises(LockdownRefused, match="lapsed"):
        services.lockdown_confirm(
            lockdown=lockdown, actor=second_admin, now=now + timedelta(minutes=10, seconds=1)
        )
    assert not lockdown_active()
    # A lapsed proposal leaves room for a new one, which can be confirmed in time.
    again = services.lockdown_propose(actor=second_admin, now=now + timedelta(minutes=11))
    services.lockdown_confirm(lockdown=again, actor=admin, now=now + timedelta(minutes=20))
    assert lockdown_active()


def test_one_proposal_at_a_time_and_withdrawing_it(admin: User, second_admin: User) -> None:
    lockdown = services.lockdown_propose(actor=admin)
    with pytest.raises(LockdownRefused, match="proposed already"):
        services.lockdown_propose(actor=second_admin)
    services.lockdown_withdraw(lockdown=lockdown, actor=second_admin)
    with pytest.raises(LockdownRefused, match="withdrawn"):
        services.lockdown_confirm(lockdown=lockdown, actor=second_admin)
    assert "lockdown.proposal_withdrawn" in actions()


def test_only_admins_start_it(caseworker: User, desk_lead: User, admin: User) -> None:
    with pytest.raises(LockdownRefused):
        services.lockdown_propose(actor=caseworker)
    lockdown = services.lockdown_propose(actor=admin)
    with pytest.raises(LockdownRefused):
        services.lockdown_confirm(lockdown=lockdown, actor=desk_lead)
    assert not lockdown_active()


def test_lifting_needs_two_admins_and_restores_exactly_the_accounts_it_suspended(
    admin: User, second_admin: User, partner_user: User, partner_org: object
) -> None:
    from passage.accounts.roles import Role
    from tests.personas import make_staff

    suspended_before = make_staff("partner-away", Role.PARTNER, partner=partner_user.partner)
    admin_services.user_suspend(user=suspended_before, actor=admin)
    other_partner = make_staff("partner-two", Role.PARTNER, partner=partner_user.partner)

    lockdown = services.lockdown_propose(actor=admin)
    services.lockdown_confirm(lockdown=lockdown, actor=second_admin)
    assert set(LockdownSuspension.objects.values_list("user_id", flat=True)) == {
        partner_user.pk,
        other_partner.pk,
    }
    # An admin deals with one of them by hand during the lockdown: lifting leaves it alone.
    admin_services.user_reactivate(user=other_partner, actor=admin)
    admin_services.user_suspend(user=other_partner, actor=admin)

    with pytest.raises(LockdownRefused, match="not proposed"):
        services.lockdown_lift_confirm(lockdown=lockdown, actor=admin)
    services.lockdown_lift_propose(lockdown=lockdown, actor=second_admin)
    with pytest.raises(LockdownRefused, match="second, different admin"):
        services.lockdown_lift_confirm(lockdown=lockdown, actor=second_admin)
    assert lockdown_active()
    restored = services.lockdown_lift_confirm(lockdown=lockdown, actor=admin)
    assert restored == 1
    assert not lockdown_active() and not exports_disabled()
    for user, active in ((partner_user, True), (suspended_before, False), (other_partner, False)):
        user.refresh_from_db()
        assert user.is_active is active
        assert (user.suspended_at is None) is active
    assert {"lockdown.lift_proposed", "lockdown.lifted", "account.restored_after_lockdown"} <= set(
        actions()
    )


def test_a_lift_proposal_lapses_too(in_force: Lockdown, admin: User, second_admin: User) -> None:
    now = timezone.now()
    services.lockdown_lift_propose(lockdown=in_force, actor=admin, now=now)
    with pytest.raises(LockdownRefused, match="lapsed"):
        services.lockdown_lift_confirm(
            lockdown=in_force, actor=second_admin, now=now + timedelta(minutes=11)
        )
    assert lockdown_active()
    services.lockdown_lift_propose(lockdown=in_force, actor=admin, now=now + timedelta(minutes=12))
    services.lockdown_lift_confirm(
        lockdown=in_force, actor=second_admin, now=now + timedelta(minutes=13)
    )
    assert not lockdown_active()


def test_no_second_lockdown_while_one_is_in_force(
    in_force: Lockdown, admin: User, second_admin: User
) -> None:
    with pytest.raises(LockdownRefused, match="in force already"):
        services.lockdown_propose(actor=admin)
    assert Lockdown.objects.count() == 1
