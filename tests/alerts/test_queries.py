"""Who sees which alert: targeted to them, to a role they hold, to a desk they are on."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for, new_alert_count
from passage.alerts.services import alert_acknowledge, alert_raise
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def raise_alert(**targets: object) -> Alert:
    return alert_raise(
        code=kinds.BREAK_GLASS,
        severity=Alert.Severity.INFO,
        actor="system",
        **targets,  # type: ignore[arg-type]
    )


def visible(user: User) -> set[Alert]:
    return set(alerts_for(user))


def test_role_alerts_reach_holders_of_the_role_only(
    admin: User, caseworker: User, auditor: User
) -> None:
    for_admins = raise_alert(target_role=Role.ADMIN)
    assert visible(admin) == {for_admins}
    assert visible(caseworker) == set()
    assert visible(auditor) == set()


def test_desk_alerts_reach_the_desk_only(
    caseworker: User, colleague: User, desk_lead: User, desk_north: Desk
) -> None:
    north = raise_alert(target_desk=desk_north)
    assert visible(caseworker) == {north}
    assert visible(desk_lead) == {north}
    assert visible(colleague) == set()


def test_desk_alerts_may_be_restricted_to_a_role(
    caseworker: User, desk_lead: User, desk_north: Desk, desk_south: Desk
) -> None:
    leads_north = raise_alert(target_desk=desk_north, target_role=Role.DESK_LEAD)
    other_lead = make_staff(
        "lead-south", Role.CASEWORKER, desks=(desk_south,), lead_of=(desk_south,)
    )
    assert visible(desk_lead) == {leads_north}
    assert visible(caseworker) == set()
    assert visible(other_lead) == set()  # a lead, but of another desk


def test_user_alerts_reach_that_user_only(caseworker: User, colleague: User, admin: User) -> None:
    mine = raise_alert(target_user=caseworker)
    assert visible(caseworker) == {mine}
    assert visible(colleague) == set()
    assert visible(admin) == set()


def test_partner_users_and_suspended_roles_see_no_alerts(
    partner_user: User, partner_org: object
) -> None:
    raise_alert(target_role=Role.PARTNER)
    assert visible(partner_user) == set()  # partners may not use the alerts page at all


def test_the_count_is_of_new_visible_alerts(admin: User, caseworker: User) -> None:
    first = raise_alert(target_role=Role.ADMIN)
    raise_alert(target_role=Role.ADMIN)
    raise_alert(target_user=caseworker)
    assert new_alert_count(admin) == 2
    alert_acknowledge(alert=first, actor=admin)
    assert new_alert_count(admin) == 1
