"""Admin page for the per-role sign-in policy (security keys instead of TOTP)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts.models import RolePolicy, User
from passage.accounts.roles import Role
from passage.accounts.services import second_factor
from passage.audit.models import AuditEntry
from tests.accounts.admin_support import age_second_factor, submit

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]
PATH = "/staff/admin/sign-in-policy/"


def test_admin_requires_security_keys_for_a_role_and_it_takes_effect(
    signed_in: Signed, admin: User, caseworker: User
) -> None:
    client = signed_in(admin)
    assert "Roles that must use a security key" in client.get(PATH).content.decode()
    response = submit(client, PATH, {"require_security_key": [Role.CASEWORKER.value]})
    assert response.status_code == 302
    assert RolePolicy.objects.get(role=Role.CASEWORKER).require_security_key
    assert second_factor.security_key_required(caseworker)
    assert (
        AuditEntry.objects.filter(action="role_policy.changed", object_id="caseworker").count() == 1
    )
    # Saving the same choice again changes nothing and records nothing.
    submit(client, PATH, {"require_security_key": [Role.CASEWORKER.value]})
    assert AuditEntry.objects.filter(action="role_policy.changed").count() == 1
    # Unticking lifts it.
    submit(client, PATH, {})
    assert not RolePolicy.objects.get(role=Role.CASEWORKER).require_security_key
    assert not second_factor.security_key_required(caseworker)


def test_unknown_role_is_a_clear_400(signed_in: Signed, admin: User) -> None:
    response = submit(signed_in(admin), PATH, {"require_security_key": ["emperor"]})
    assert response.status_code == 400
    assert "Unknown role." in response.content.decode()
    assert not RolePolicy.objects.filter(require_security_key=True).exists()


def test_changes_need_a_fresh_second_factor(signed_in: Signed, admin: User) -> None:
    client = signed_in(admin)
    age_second_factor(client)
    response = client.get(PATH)
    assert response.status_code == 302 and "/staff/step-up/" in response["Location"]


def test_others_get_404_and_the_outsider_goes_to_sign_in(
    signed_in: Signed, caseworker: User, auditor: User, outsider: Client
) -> None:
    assert signed_in(caseworker).get(PATH).status_code == 404
    assert signed_in(auditor).get(PATH).status_code == 404
    response = outsider.get(PATH)
    assert response.status_code == 302 and response["Location"].startswith("/staff/?next=")
