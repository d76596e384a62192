"""Admin pages for users: list with filters, invite (link shown once), edit roles and desks,
suspend, reactivate, unlock, new invitation link."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone

from passage.accounts.models import (
    Desk,
    Invitation,
    Membership,
    PartnerOrganisation,
    RoleGrant,
    StaffSession,
    User,
)
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from tests.accounts.admin_support import submit
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]


def invitation_link(html: str) -> str:
    found = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', html)
    assert found, "no invitation link on the page"
    return found.group(1)


def test_users_list_shows_roles_desks_partner_state_and_second_factor(
    signed_in: Signed, admin: User, caseworker: User, desk_lead: User, partner_user: User
) -> None:
    suspended = make_staff("gone", Role.VERIFIER)
    suspended.suspended_at = timezone.now()
    suspended.is_active = False
    suspended.save()
    locked = make_staff("locked-out", Role.SCREENER)
    locked.locked_until = timezone.now() + timedelta(minutes=10)
    locked.save()

    response = signed_in(admin).get("/staff/admin/users/")

    assert response.status_code == 200
    html = response.content.decode()
    for name in ["admin", "caseworker", "lead", "partner", "gone", "locked-out"]:
        assert f">{name}</a>" in html
    assert "North Caucasus (lead)" in html
    assert "P-001" in html
    assert 'tag--red">suspended' in html
    assert 'tag--amber">locked' in html
    assert 'tag--green">active' in html


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("state=suspended", ["gone"], ["caseworker"]),
        ("role=caseworker", ["caseworker", "lead"], ["admin", "gone"]),
        ("role=desk_lead", ["lead"], ["caseworker"]),
        ("search=CASE", ["caseworker"], ["lead", "admin"]),
    ],
)
def test_users_list_filters(
    signed_in: Signed,
    admin: User,
    caseworker: User,
    desk_lead: User,
    query: str,
    present: list[str],
    absent: list[str],
) -> None:
    gone = make_staff("gone", Role.VERIFIER)
    gone.suspended_at = timezone.now()
    gone.save()
    html = signed_in(admin).get(f"/staff/admin/users/?{query}").content.decode()
    for name in present:
        assert f">{name}</a>" in html
    for name in absent:
        assert f">{name}</a>" not in html


def test_users_list_filter_by_desk_and_bad_filter(
    signed_in: Signed, admin: User, caseworker: User, colleague: User, desk_south: Desk
) -> None:
    client = signed_in(admin)
    html = client.get(f"/staff/admin/users/?desk={desk_south.pk}").content.decode()
    assert ">colleague</a>" in html
    assert ">caseworker</a>" not in html
    assert client.get("/staff/admin/users/?desk=not-a-uuid").status_code == 400


def test_invite_creates_an_inactive_user_and_shows_the_link_once(
    signed_in: Signed, admin: User, desk_north: Desk, desk_south: Desk
) -> None:
    client = signed_in(admin)
    response = submit(
        client,
        "/staff/admin/users/invite/",
        {
            "username": "newcomer",
            "roles": [Role.CASEWORKER, Role.VERIFIER],
            "desks": [desk_north.pk, desk_south.pk],
            "lead_of": [desk_south.pk],
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    link = invitation_link(html)
    assert "/staff/invitation/" in link
    assert "in person or over a secure messenger" in html
    user = User.objects.get(username="newcomer")
    assert not user.is_active
    assert not user.has_usable_password()
    assert set(user.role_grants.values_list("role", flat=True)) == {"caseworker", "verifier"}
    assert set(user.memberships.values_list("desk__name", "is_lead")) == {
        ("North Caucasus", False),
        ("Middle East and North Africa", True),
    }
    assert Invitation.objects.filter(user=user, used_at=None).count() == 1
    entry = AuditEntry.objects.get(action="account.invited")
    assert (entry.actor, entry.object_id) == (f"user:{admin.pk}", str(user.pk))
    # The link is not kept anywhere a later page could show it again.
    assert link not in client.get(f"/staff/admin/users/{user.pk}/").content.decode()
    assert link.rsplit("/", 2)[-2] not in str(dict(client.session))


def test_invite_partner_user_needs_a_partner_and_only_the_partner_role(
    signed_in: Signed, admin: User, partner_org: PartnerOrganisation, desk_north: Desk
) -> None:
    client = signed_in(admin)
    no_org = submit(
        client, "/staff/admin/users/invite/", {"username": "p1", "roles": [Role.PARTNER]}
    )
    assert no_org.status_code == 400
    assert "Choose the partner organisation of a partner user." in no_org.content.decode()
    mixed = submit(
        client,
        "/staff/admin/users/invite/",
        {"username": "p1", "roles": [Role.PARTNER, Role.CASEWORKER], "partner": partner_org.pk},
    )
    assert mixed.status_code == 400
    assert "holds only the partner role" in mixed.content.decode()
    with_desk = submit(
        client,
        "/staff/admin/users/invite/",
        {
            "username": "p1",
            "roles": [Role.PARTNER],
            "partner": partner_org.pk,
            "desks": [desk_north.pk],
        },
    )
    assert with_desk.status_code == 400
    assert not User.objects.filter(username="p1").exists()

    ok = submit(
        client,
        "/staff/admin/users/invite/",
        {"username": "p1", "roles": [Role.PARTNER], "partner": partner_org.pk},
    )
    assert ok.status_code == 200
    assert User.objects.get(username="p1").partner == partner_org


def test_invite_refuses_taken_usernames_and_bad_input_with_400(
    signed_in: Signed, admin: User, caseworker: User
) -> None:
    client = signed_in(admin)
    taken = submit(
        client, "/staff/admin/users/invite/", {"username": "CaseWorker", "roles": ["caseworker"]}
    )
    assert taken.status_code == 400
    assert "That username is taken" in taken.content.decode()
    bad = submit(
        client, "/staff/admin/users/invite/", {"username": "a b<c>", "roles": ["nonsense"]}
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Use only letters, digits" in html
    assert 'class="error-summary"' in html
    # The summary links to each field, checkbox groups included (their legend).
    assert 'href="#id_username"' in html
    assert 'href="#id_roles"' in html
    assert '<legend class="field__label" id="id_roles">' in html
    assert User.objects.count() == 2


def test_edit_roles_and_desks(
    signed_in: Signed, admin: User, caseworker: User, desk_north: Desk, desk_south: Desk
) -> None:
    client = signed_in(admin)
    response = submit(
        client,
        f"/staff/admin/users/{caseworker.pk}/edit/",
        {"roles": [Role.LOGISTICS], "desks": [desk_south.pk], "lead_of": [desk_south.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/admin/users/{caseworker.pk}/"
    assert list(caseworker.role_grants.values_list("role", flat=True)) == ["logistics"]
    assert list(Membership.objects.filter(user=caseworker).values_list("desk", "is_lead")) == [
        (desk_south.pk, True)
    ]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"account.roles_changed", "account.desks_changed"} <= actions


def test_admin_cannot_remove_their_own_admin_role(signed_in: Signed, admin: User) -> None:
    make_staff("admin2", Role.ADMIN)
    response = submit(
        signed_in(admin), f"/staff/admin/users/{admin.pk}/edit/", {"roles": [Role.AUDITOR]}
    )
    assert response.status_code == 400
    assert "You cannot remove your own admin role" in response.content.decode()
    assert admin.role_grants.filter(role=Role.ADMIN).exists()


def test_the_last_active_admin_cannot_suspend_themselves(signed_in: Signed, admin: User) -> None:
    client = signed_in(admin)
    response = submit(client, f"/staff/admin/users/{admin.pk}/suspend/")
    assert response.status_code == 400
    assert "last active admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.suspended_at is None and admin.is_active


def test_suspend_ends_every_session_at_once(
    signed_in: Signed, admin: User, caseworker: User
) -> None:
    victim_phone = signed_in(caseworker)
    victim_laptop = signed_in(caseworker)
    assert victim_phone.get("/staff/home/").status_code == 200

    response = submit(signed_in(admin), f"/staff/admin/users/{caseworker.pk}/suspend/")

    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.suspended_at is not None and not caseworker.is_active
    assert not StaffSession.objects.filter(user=caseworker, ended_at=None).exists()
    for client in (victim_phone, victim_laptop):
        answer = client.get("/staff/home/")
        assert answer.status_code == 302
        assert answer["Location"].startswith("/staff/")
        assert answer["Location"] != "/staff/home/"
    assert AuditEntry.objects.filter(action="account.suspended").count() == 1


def test_another_admin_may_be_suspended_and_reactivated(signed_in: Signed, admin: User) -> None:
    other = make_staff("admin2", Role.ADMIN)
    client = signed_in(admin)
    assert submit(client, f"/staff/admin/users/{other.pk}/suspend/").status_code == 302
    other.refresh_from_db()
    assert not other.is_active
    assert submit(client, f"/staff/admin/users/{other.pk}/reactivate/").status_code == 302
    other.refresh_from_db()
    assert other.is_active and other.suspended_at is None
    assert AuditEntry.objects.filter(action="account.reactivated").count() == 1


def test_reactivating_someone_who_never_accepted_leaves_them_invited(
    signed_in: Signed, admin: User, caseworker: User
) -> None:
    caseworker.set_unusable_password()
    caseworker.is_active = False
    caseworker.suspended_at = timezone.now()
    caseworker.save()
    assert (
        submit(signed_in(admin), f"/staff/admin/users/{caseworker.pk}/reactivate/").status_code
        == 302
    )
    caseworker.refresh_from_db()
    assert caseworker.suspended_at is None and not caseworker.is_active


def test_unlock_a_locked_account(signed_in: Signed, admin: User, caseworker: User) -> None:
    caseworker.locked_until = timezone.now() + timedelta(minutes=15)
    caseworker.failed_sign_ins = 5
    caseworker.save()
    client = signed_in(admin)
    assert "Unlock" in client.get(f"/staff/admin/users/{caseworker.pk}/").content.decode()
    assert submit(client, f"/staff/admin/users/{caseworker.pk}/unlock/").status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.locked_until is None and caseworker.failed_sign_ins == 0
    assert AuditEntry.objects.filter(action="account.unlocked").count() == 1
    again = submit(client, f"/staff/admin/users/{caseworker.pk}/unlock/")
    assert again.status_code == 400
    assert "not locked" in again.content.decode()


def test_new_invitation_link_replaces_the_old_one(
    signed_in: Signed, admin: User, desk_north: Desk
) -> None:
    client = signed_in(admin)
    first = submit(
        client, "/staff/admin/users/invite/", {"username": "newcomer", "roles": ["screener"]}
    )
    first_link = invitation_link(first.content.decode())
    user = User.objects.get(username="newcomer")
    second = submit(client, f"/staff/admin/users/{user.pk}/invitation/")
    assert second.status_code == 200
    second_link = invitation_link(second.content.decode())
    assert second_link != first_link
    assert Invitation.objects.filter(user=user, expires_at__gt=timezone.now()).count() == 1
    assert AuditEntry.objects.filter(action="account.invitation_reissued").count() == 1
    anonymous = Client()
    assert anonymous.get(first_link).status_code == 404
    assert anonymous.get(second_link).status_code == 200


def test_no_new_invitation_for_an_active_account(
    signed_in: Signed, admin: User, caseworker: User
) -> None:
    response = submit(signed_in(admin), f"/staff/admin/users/{caseworker.pk}/invitation/")
    assert response.status_code == 400
    assert check_password("correct horse battery staple 42", caseworker.password)


def test_unknown_user_is_404(signed_in: Signed, admin: User) -> None:
    client = signed_in(admin)
    missing = "00000000-0000-4000-8000-000000000000"
    for suffix in ["", "edit/", "suspend/", "reactivate/", "unlock/", "invitation/"]:
        assert client.get(f"/staff/admin/users/{missing}/{suffix}").status_code == 404
    assert RoleGrant.objects.count() == 1


def test_an_admin_who_suspends_themselves_is_signed_out(signed_in: Signed, admin: User) -> None:
    make_staff("admin2", Role.ADMIN)
    client = signed_in(admin)
    response = submit(client, f"/staff/admin/users/{admin.pk}/suspend/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    admin.refresh_from_db()
    assert admin.suspended_at is not None
    assert client.get("/staff/admin/users/")["Location"].startswith("/staff/?next=")
