"""After 5 failures an account is locked 15 minutes; client addresses are slowed (429).

The answers never reveal whether an account exists.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from passage.accounts.models import SignInThrottle, User
from passage.accounts.services import sign_in as services
from passage.audit.models import AuditEntry
from tests.accounts.conftest import PASSPHRASE, code, enter_code, sign_in, wrong_code

pytestmark = pytest.mark.django_db

LOCK_MESSAGE = "This account, if it exists, or this address is temporarily"


def client_from(address: str) -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def fail_five_times(username: str, first_address: int = 1) -> list[int]:
    """Five wrong passphrases for ``username``, each from another address."""
    statuses = []
    for n in range(5):
        response = sign_in(client_from(f"10.0.0.{first_address + n}"), username, "wrong")
        statuses.append(response.status_code)
    return statuses


def test_five_failures_lock_the_account_for_15_minutes(alice: User, alice_secret: str) -> None:
    assert fail_five_times("alice") == [400, 400, 400, 400, 429]
    alice.refresh_from_db()
    assert alice.failed_sign_ins == 5 and alice.is_locked
    assert alice.locked_until - timezone.now() == pytest.approx(
        timedelta(minutes=15), abs=timedelta(seconds=10)
    )
    # Even the right passphrase is refused now, with the same message, from anywhere.
    response = sign_in(client_from("10.9.9.9"), "alice", PASSPHRASE)
    assert response.status_code == 429
    assert LOCK_MESSAGE in response.content.decode()
    assert 890 <= int(response["Retry-After"]) <= 901
    assert "Try again in 15 minutes." in response.content.decode()

    # Fifteen minutes later (simulated: the lock's end moves into the past) it opens again.
    User.objects.filter(pk=alice.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    client = client_from("10.9.9.9")
    assert sign_in(client, "alice", PASSPHRASE)["Location"] == "/staff/second-factor/"
    assert enter_code(client, code(alice_secret))["Location"] == "/staff/home/"
    alice.refresh_from_db()
    assert alice.failed_sign_ins == 0 and alice.locked_until is None


def test_unknown_usernames_lock_the_same_way(alice: User) -> None:
    known = fail_five_times("alice", first_address=1)
    unknown = fail_five_times("nobody-by-this-name", first_address=20)
    assert known == unknown == [400, 400, 400, 400, 429]
    answers = []
    for username in ("alice", "nobody-by-this-name"):
        response = sign_in(client_from("10.8.8.8"), username, PASSPHRASE)
        assert response.status_code == 429
        html = re.sub(r'value="[^"]*"', 'value=""', response.content.decode())
        answers.append((html, response["Retry-After"]))
    assert answers[0][0] == answers[1][0]
    assert SignInThrottle.objects.count() >= 1
    # Only keyed hashes are kept: neither the username nor the address.
    for row in SignInThrottle.objects.all():
        assert re.fullmatch(r"[0-9a-f]{64}", row.address_hash)


def test_failed_sign_ins_are_audited_without_revealing_who(alice: User) -> None:
    sign_in(client_from("10.0.0.1"), "alice", "wrong")
    sign_in(client_from("10.0.0.2"), "nobody", "wrong")
    entries = AuditEntry.objects.filter(action="account.sign_in_failed").order_by("sequence")
    assert [(e.actor, e.object_id) for e in entries] == [
        ("public", str(alice.pk)),
        ("public", "unknown"),
    ]


def test_second_factor_failures_count_towards_the_lock(alice: User, alice_secret: str) -> None:
    client = client_from("10.0.1.1")
    sign_in(client, "alice", PASSPHRASE)
    statuses = [enter_code(client, wrong_code(alice_secret)).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    # Locked: the half-signed-in session is gone, and the right code does not help.
    assert client.get("/staff/second-factor/")["Location"] == "/staff/"
    alice.refresh_from_db()
    assert alice.is_locked
    assert AuditEntry.objects.filter(action="account.second_factor_failed").count() == 5
    assert AuditEntry.objects.filter(action="account.locked").count() == 1


def test_an_address_with_many_failures_is_slowed_with_429(db: None) -> None:
    client = client_from("192.0.2.7")
    statuses = [
        sign_in(client, f"user{n}", "wrong").status_code
        for n in range(services.ADDRESS_FREE_FAILURES)
    ]
    assert statuses[:-1] == [400] * (services.ADDRESS_FREE_FAILURES - 1)
    assert statuses[-1] == 429
    response = sign_in(client, "someone-else", "wrong")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= services.ADDRESS_FIRST_BLOCK_SECONDS - 1
    assert LOCK_MESSAGE in response.content.decode()
    # Another address is not affected.
    assert sign_in(client_from("192.0.2.8"), "someone-else", "wrong").status_code == 400
    # Once the block ends, one more failure blocks twice as long.
    SignInThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, "someone-else", "wrong").status_code == 429
    left = services.address_retry_after(request=_request("192.0.2.7"))
    assert left is not None and left > services.ADDRESS_FIRST_BLOCK_SECONDS + 1


def _request(address: str) -> object:
    from django.test import RequestFactory

    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_failures_are_forgotten_after_a_quiet_day_for_any_username(alice: User) -> None:
    for username in ("alice", "nobody-by-this-name"):
        for n in range(4):
            assert sign_in(client_from(f"10.1.{n}.1"), username, "wrong").status_code == 400
    SignInThrottle.objects.update(window_started_at=timezone.now() - timedelta(days=1, seconds=1))
    for username in ("alice", "nobody-by-this-name"):
        assert sign_in(client_from("10.2.0.1"), username, "wrong").status_code == 400
    alice.refresh_from_db()
    assert alice.failed_sign_ins == 1 and not alice.is_locked
