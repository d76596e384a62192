"""Account services: the first admin, and the passphrases handed out once."""

from __future__ import annotations

import hashlib
import re

import pytest

from passage.accounts import passphrases
from passage.accounts.exceptions import UsernameTaken
from passage.accounts.models import Invitation, RoleGrant, User
from passage.accounts.roles import Role
from passage.accounts.services import sign_in as services
from passage.audit.models import AuditEntry
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db


def test_first_admin_is_created_inactive_with_a_one_time_invitation_and_audited() -> None:
    created = services.first_admin_create()
    assert created is not None
    user, path = created
    assert user.username == "admin" and user.is_admin
    assert not user.is_active and not user.has_usable_password()
    found = re.fullmatch(r"/staff/invitation/([A-Za-z0-9_-]{43})/", path)
    assert found
    invitation = Invitation.objects.get(user=user)
    assert found.group(1) not in invitation.token_hash  # only the SHA-256 is kept
    assert invitation.token_hash == hashlib.sha256(found.group(1).encode()).hexdigest()
    entry = AuditEntry.objects.get(action="account.first_admin_created")
    assert entry.actor == "cli"
    assert (entry.object_type, entry.object_id) == ("user", str(user.pk))


def test_first_admin_create_is_idempotent() -> None:
    assert services.first_admin_create() is not None
    assert services.first_admin_create() is None
    assert services.first_admin_create(username="someone-else") is None
    assert User.objects.count() == 1
    assert AuditEntry.objects.filter(action="account.first_admin_created").count() == 1


def test_no_first_admin_when_an_admin_exists_already() -> None:
    make_user("root", is_admin=True)
    assert services.first_admin_create() is None
    assert not AuditEntry.objects.filter(action="account.first_admin_created").exists()


def test_first_admin_refuses_a_username_held_by_someone_else() -> None:
    make_user("Admin")  # not an admin; usernames are case-insensitive
    with pytest.raises(UsernameTaken):
        services.first_admin_create()
    assert not RoleGrant.objects.filter(role=Role.ADMIN).exists()
    assert not AuditEntry.objects.filter(action="account.first_admin_created").exists()


def test_passphrases_are_long_random_and_easy_to_type() -> None:
    seen = {passphrases.generate() for _ in range(200)}
    assert len(seen) == 200
    for passphrase in seen:
        assert re.fullmatch(r"(?:[a-km-z2-9]{5}-){5}[a-km-z2-9]{5}", passphrase)
        assert not set(passphrase) & set("01ilo")
