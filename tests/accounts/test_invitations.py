"""Accepting an invitation: password, authenticator (QR drawn by us), recovery codes, signed in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone

from passage.accounts import totp
from passage.accounts.models import Invitation, RecoveryCode, StaffSession, TotpDevice, User
from passage.accounts.roles import Role
from passage.accounts.services import invitations
from passage.audit.models import AuditEntry
from tests.accounts.conftest import make_user, post_form, wrong_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-anchor-meadow-river"


@pytest.fixture
def invitee(db: None) -> User:
    user = User(username="newcomer", is_active=False, password=make_password(None))
    user.save()
    return user


@pytest.fixture
def link(invitee: User) -> str:
    inviter = make_user("inviter", is_admin=True)
    return invitations.invitation_create(user=invitee, actor=f"user:{inviter.pk}")


def shown_secret(html: str) -> str:
    found = re.search(r'<code class="totp-secret" id="totp-secret">([A-Z2-7 ]+)</code>', html)
    assert found, "no secret shown"
    return found.group(1).replace(" ", "")


def accept(client: Client, link: str) -> tuple[str, list[str]]:
    """Walk the whole invitation; returns the authenticator secret and the recovery codes."""
    response = post_form(
        client, link, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == link
    secret = shown_secret(client.get(link).content.decode())
    response = post_form(client, link, {"code": totp.code_at(secret, totp.current_step())})
    assert response.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode()
    )
    return secret, codes


def test_invitation_end_to_end(browser: Client, invitee: User, link: str) -> None:
    assert re.fullmatch(r"/staff/invitation/[A-Za-z0-9_-]{43}/", link)
    page = browser.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "newcomer" in html and "Choose your passphrase" in html

    response = post_form(
        browser, link, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert response["Location"] == link
    html = browser.get(link).content.decode()
    # The QR code is inline SVG drawn by our server: no image request, no data: URI.
    assert '<div class="qr-code"><svg role="img" aria-hidden="true"' in html
    assert "data:" not in html and "<img" not in html
    secret = shown_secret(html)
    device = TotpDevice.objects.get(user=invitee)
    assert str(device.secret) == secret and not device.confirmed

    wrong = post_form(browser, link, {"code": wrong_code(secret)})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()

    done = post_form(browser, link, {"code": totp.code_at(secret, totp.current_step())})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.content.decode())
    assert len(set(codes)) == 10
    assert RecoveryCode.objects.filter(user=invitee, used_at=None).count() == 10
    stored = "".join(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not any(c.replace("-", "") in stored for c in codes)  # only hashes are kept

    invitee.refresh_from_db()
    assert invitee.is_active
    assert invitee.password.startswith("argon2$argon2id$")
    assert TotpDevice.objects.get(user=invitee).confirmed
    assert Invitation.objects.get(user=invitee).used_at is not None
    # Signed in, second factor done: the console opens (the invitee has a role now).
    invitee.role_grants.create(role=Role.CASEWORKER)
    assert browser.get("/staff/home/").status_code == 200
    assert StaffSession.objects.filter(user=invitee, ended_at=None).count() == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "account.invitation_created",
        "account.password_set",
        "account.totp_enrolled",
        "account.invitation_accepted",
        "account.signed_in",
    } <= actions

    # The link works once.
    again = Client().get(link)
    assert again.status_code == 404


def test_unknown_used_and_expired_links_look_the_same(invitee: User, link: str) -> None:
    unknown = Client().get("/staff/invitation/" + "A" * 43 + "/")
    Invitation.objects.filter(user=invitee).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = Client().get(link)
    assert unknown.status_code == expired.status_code == 404
    strip = re.compile(r'(value|content)="[^"]*"')
    assert strip.sub("", unknown.content.decode()) == strip.sub("", expired.content.decode())
    assert "This link does not work" in unknown.content.decode()
    assert "newcomer" not in expired.content.decode()


def test_a_new_invitation_revokes_the_older_one(invitee: User, link: str) -> None:
    newer = invitations.invitation_create(user=invitee, actor="cli")
    assert Client().get(link).status_code == 404
    assert Client().get(newer).status_code == 200


def test_expiry_is_72_hours(invitee: User, link: str) -> None:
    invitation = Invitation.objects.get(user=invitee, used_at=None)
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(hours=72), abs=timedelta(seconds=5)
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-one", "This password is too short. It must contain at least 12 characters."),
        ("qwertyqwerty", "This password is too common."),
        ("123456789012345", "This password is entirely numeric."),
        ("my-newcomer-secret-words", "The password must not contain your username."),
    ],
)
def test_password_rules_are_explained(
    browser: Client, invitee: User, link: str, password: str, message: str
) -> None:
    response = post_form(browser, link, {"new_password": password, "new_password_again": password})
    assert response.status_code == 400
    assert message in response.content.decode()
    invitee.refresh_from_db()
    assert not invitee.has_usable_password()


def test_passwords_must_match(browser: Client, link: str) -> None:
    response = post_form(
        browser, link, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 400
    assert "The two passphrases are not the same." in response.content.decode()


def test_the_invitee_can_sign_in_afterwards(browser: Client, invitee: User, link: str) -> None:
    secret, codes = accept(browser, link)
    fresh = Client(enforce_csrf_checks=True)
    response = post_form(fresh, "/staff/", {"username": "newcomer", "password": NEW_PASSWORD})
    assert response["Location"] == "/staff/second-factor/"
    # The code used to enrol is spent: the next step's code works (the app shows it next).
    response = post_form(
        fresh, "/staff/second-factor/", {"code": totp.code_at(secret, totp.current_step() + 1)}
    )
    assert response["Location"] == "/staff/home/"
    assert len(codes) == 10
