"""Second-factor reset with two admins: one asks, a different one approves; both stepped up."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts.models import (
    Invitation,
    RecoveryCode,
    SecondFactorReset,
    SecurityKey,
    StaffSession,
    TotpDevice,
    User,
)
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from tests.accounts.admin_support import age_second_factor, post, submit
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]


@pytest.fixture
def second_admin(db: None) -> User:
    return make_staff("admin-b", Role.ADMIN)


def enrolled(user: User) -> User:
    TotpDevice.objects.create(user=user, secret="JBSWY3DPEHPK3PXP", confirmed=True)
    RecoveryCode.objects.create(user=user, code_hash="0" * 64)
    SecurityKey.objects.create(user=user, credential_id=b"cred", public_key=b"key")
    return user


def test_two_admins_reset_a_second_factor(
    signed_in: Signed, admin: User, second_admin: User, caseworker: User
) -> None:
    enrolled(caseworker)
    victim = signed_in(caseworker)
    a, b = signed_in(admin), signed_in(second_admin)

    asked = submit(a, f"/staff/admin/users/{caseworker.pk}/second-factor-reset/")
    assert asked.status_code == 302
    reset = SecondFactorReset.objects.get(user=caseworker)
    # Nothing changed yet for the person.
    assert TotpDevice.objects.filter(user=caseworker).exists()
    assert victim.get("/staff/home/").status_code == 200
    assert "admin-b" not in a.get("/staff/admin/second-factor-resets/").content.decode()

    approved = submit(b, f"/staff/admin/second-factor-resets/{reset.pk}/approve/")

    assert approved.status_code == 200
    link = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', approved.content.decode())
    assert link and "/staff/invitation/" in link.group(1)
    assert not TotpDevice.objects.filter(user=caseworker).exists()
    assert not RecoveryCode.objects.filter(user=caseworker).exists()
    assert not SecurityKey.objects.filter(user=caseworker).exists()
    assert not StaffSession.objects.filter(user=caseworker, ended_at=None).exists()
    assert victim.get("/staff/home/").status_code == 302
    caseworker.refresh_from_db()
    assert not caseworker.has_usable_password() and not caseworker.is_active
    assert Invitation.objects.filter(user=caseworker, used_at=None).count() == 1
    reset.refresh_from_db()
    assert reset.approved_by == second_admin and reset.approved_at is not None
    requested = AuditEntry.objects.get(action="second_factor.reset_requested")
    approval = AuditEntry.objects.get(action="second_factor.reset_approved")
    assert requested.actor == f"user:{admin.pk}"
    assert approval.actor == f"user:{second_admin.pk}"
    assert approval.object_id == str(caseworker.pk)
    assert Client().get(link.group(1)).status_code == 200


def test_the_requester_cannot_approve(
    signed_in: Signed, admin: User, second_admin: User, caseworker: User
) -> None:
    enrolled(caseworker)
    a = signed_in(admin)
    submit(a, f"/staff/admin/users/{caseworker.pk}/second-factor-reset/")
    reset = SecondFactorReset.objects.get(user=caseworker)
    listing = a.get("/staff/admin/second-factor-resets/").content.decode()
    assert "You asked: another admin approves." in listing

    response = submit(a, f"/staff/admin/second-factor-resets/{reset.pk}/approve/")

    assert response.status_code == 400
    assert "another admin must approve it" in response.content.decode()
    assert TotpDevice.objects.filter(user=caseworker).exists()
    assert not AuditEntry.objects.filter(action="second_factor.reset_approved").exists()


def test_no_admin_resets_their_own_second_factor(
    signed_in: Signed, admin: User, second_admin: User
) -> None:
    enrolled(admin)
    own = submit(signed_in(admin), f"/staff/admin/users/{admin.pk}/second-factor-reset/")
    assert own.status_code == 400
    assert "You cannot reset your own second factor" in own.content.decode()
    # Asked by someone else, the person concerned still cannot approve it.
    submit(signed_in(second_admin), f"/staff/admin/users/{admin.pk}/second-factor-reset/")
    reset = SecondFactorReset.objects.get(user=admin)
    mine = submit(signed_in(admin), f"/staff/admin/second-factor-resets/{reset.pk}/approve/")
    assert mine.status_code == 400
    assert TotpDevice.objects.filter(user=admin).exists()


def test_both_steps_need_a_fresh_second_factor(
    signed_in: Signed, admin: User, second_admin: User, caseworker: User
) -> None:
    a = signed_in(admin)
    age_second_factor(a)
    response = a.get(f"/staff/admin/users/{caseworker.pk}/second-factor-reset/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/step-up/?next=")
    assert not SecondFactorReset.objects.exists()

    reset = SecondFactorReset.objects.create(user=caseworker, requested_by=admin)
    b = signed_in(second_admin)
    age_second_factor(b)
    path = f"/staff/admin/second-factor-resets/{reset.pk}/approve/"
    assert b.get(path)["Location"].startswith("/staff/step-up/")
    assert post(b, path)["Location"].startswith("/staff/step-up/")
    reset.refresh_from_db()
    assert reset.approved_at is None


def test_a_request_can_be_withdrawn(
    signed_in: Signed, admin: User, second_admin: User, caseworker: User
) -> None:
    reset = SecondFactorReset.objects.create(user=caseworker, requested_by=admin)
    b = signed_in(second_admin)
    assert submit(b, f"/staff/admin/second-factor-resets/{reset.pk}/withdraw/").status_code == 302
    reset.refresh_from_db()
    assert reset.cancelled_at is not None
    # A closed request is gone from the pages.
    assert b.get(f"/staff/admin/second-factor-resets/{reset.pk}/approve/").status_code == 404
    assert AuditEntry.objects.filter(action="second_factor.reset_cancelled").count() == 1


def test_non_admins_cannot_see_resets(
    signed_in: Signed, admin: User, caseworker: User, desk_lead: User, auditor: User
) -> None:
    reset = SecondFactorReset.objects.create(user=caseworker, requested_by=admin)
    for user in (caseworker, desk_lead, auditor):
        client = signed_in(user)
        assert client.get("/staff/admin/second-factor-resets/").status_code == 404
        path = f"/staff/admin/second-factor-resets/{reset.pk}/approve/"
        assert client.get(path).status_code == 404
