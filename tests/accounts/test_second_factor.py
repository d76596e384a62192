"""The second step of signing in: TOTP codes (never twice), recovery codes (once), enrolment."""

from __future__ import annotations

import pytest
from django.test import Client

from passage.accounts import sessions, totp
from passage.accounts.models import RecoveryCode, StaffSession, TotpDevice, User
from passage.accounts.roles import Role
from passage.accounts.services import second_factor as factors
from passage.audit.models import AuditEntry
from tests.accounts.conftest import (
    PASSPHRASE,
    code,
    enter_code,
    full_sign_in,
    give_totp,
    make_user,
    post_form,
    sign_in,
    wrong_code,
)

pytestmark = pytest.mark.django_db


def test_totp_codes_follow_rfc_6238() -> None:
    # RFC 6238 appendix B, SHA-1, 8 digits -> our 6 digits are its last six.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # b"12345678901234567890"
    assert totp.code_at(secret, 59 // 30) == "287082"
    assert totp.code_at(secret, 1111111109 // 30) == "081804"


def test_a_totp_code_cannot_be_used_twice(alice: User, alice_secret: str) -> None:
    now = code(alice_secret)
    assert factors.second_factor_verify(user=alice, code=now) == "totp"
    assert factors.second_factor_verify(user=alice, code=now) is None
    # Nor an older one, even if still within the drift tolerance.
    assert factors.second_factor_verify(user=alice, code=code(alice_secret, -1)) is None
    # The next step's code is fresh.
    assert factors.second_factor_verify(user=alice, code=code(alice_secret, 1)) == "totp"
    assert TotpDevice.objects.get(user=alice).last_step == totp.current_step() + 1


def test_codes_one_step_either_side_are_accepted_but_not_two(alice: User) -> None:
    secret = give_totp(alice)
    assert factors.second_factor_verify(user=alice, code=code(secret, 2)) is None
    assert factors.second_factor_verify(user=alice, code=code(secret, -1)) == "totp"


def test_reused_code_is_refused_through_the_pages(alice: User, alice_secret: str) -> None:
    first = Client(enforce_csrf_checks=True)
    full_sign_in(first, "alice", alice_secret)
    second = Client(enforce_csrf_checks=True)
    sign_in(second, "alice", PASSPHRASE)
    response = enter_code(second, code(alice_secret))  # the same code, seen by someone else
    assert response.status_code == 400
    assert "That code is not right, or it was used already." in response.content.decode()
    assert second.get("/staff/home/")["Location"] == "/staff/second-factor/"


def test_recovery_codes_work_once(alice: User, alice_secret: str) -> None:
    codes = factors.recovery_codes_generate(user=alice, actor="system")
    assert len(codes) == 10
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    response = enter_code(client, codes[0].upper().replace("-", " "))  # forgiving typing
    assert response["Location"] == "/staff/home/"
    assert RecoveryCode.objects.filter(user=alice, used_at__isnull=False).count() == 1
    assert AuditEntry.objects.filter(action="account.recovery_code_used").count() == 1

    again = Client(enforce_csrf_checks=True)
    sign_in(again, "alice", PASSPHRASE)
    assert enter_code(again, codes[0]).status_code == 400
    assert enter_code(again, codes[1])["Location"] == "/staff/home/"


def test_second_factor_page_needs_the_passphrase_first(outsider: Client) -> None:
    response = outsider.get("/staff/second-factor/")
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_a_user_without_second_factor_reaches_nothing_but_enrolment(db: None) -> None:
    make_user("fresh", role=Role.CASEWORKER)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "fresh", PASSPHRASE)
    assert client.get("/staff/second-factor/")["Location"] == "/staff/second-factor/enrol/"
    for path in ["/staff/home/", "/staff/sessions/", "/staff/password/", "/staff/step-up/"]:
        assert client.get(path)["Location"].startswith("/staff/second-factor/"), path
    page = client.get("/staff/second-factor/enrol/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Add your authenticator app" in html
    secret = str(TotpDevice.objects.get(user__username="fresh").secret)
    assert totp.grouped(secret) in html
    # Reloading shows the same secret (the device waits for its first code).
    assert totp.grouped(secret) in client.get("/staff/second-factor/enrol/").content.decode()
    bad = post_form(client, "/staff/second-factor/enrol/", {"code": wrong_code(secret)})
    assert bad.status_code == 400
    done = post_form(client, "/staff/second-factor/enrol/", {"code": code(secret)})
    assert done.status_code == 200
    assert "Your recovery codes" in done.content.decode()
    assert client.get("/staff/home/").status_code == 200


def test_enrolment_is_not_offered_to_someone_with_a_second_factor(
    alice: User, alice_secret: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    assert client.get("/staff/second-factor/enrol/")["Location"] == "/staff/second-factor/"
    assert not TotpDevice.objects.filter(user=alice, confirmed=False).exists()


def test_second_factor_is_recorded_on_the_session(alice: User, alice_secret: str) -> None:
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    assert sessions.SECOND_FACTOR_AT in client.session
    row = StaffSession.objects.get(user=alice, ended_at=None)
    assert row.second_factor_at is not None
    entry = AuditEntry.objects.get(action="account.second_factor_passed")
    assert entry.actor == f"user:{alice.pk}"


def test_totp_secrets_are_encrypted_at_rest(alice: User, alice_secret: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice")
        (stored,) = cursor.fetchone()
    assert alice_secret not in str(stored)
