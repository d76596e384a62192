"""The lock screen's endpoints: locking ends the session on the server; unlocking needs the
passphrase AND a second-factor code, counts failures like sign-in and locks out after five."""

from __future__ import annotations

import pytest
from django.test import Client

from passage.accounts import sessions
from passage.accounts.models import StaffSession, User
from passage.audit.models import AuditEntry
from tests.accounts.conftest import PASSPHRASE, code, form_token, full_sign_in, wrong_code

pytestmark = pytest.mark.django_db

UNLOCK = "/staff/sessions/unlock/"


@pytest.fixture
def locked(alice: User, alice_secret: str) -> Client:
    """Alice signed in, then her page locked at the idle timeout."""
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    token = form_token(client, "/staff/sessions/")
    assert client.post("/staff/sessions/lock/", {"csrfmiddlewaretoken": token}).status_code == 204
    return client


def unlock(client: Client, **data: str) -> tuple[int, dict[str, object]]:
    token = form_token(client, "/staff/")
    response = client.post(UNLOCK, {"csrfmiddlewaretoken": token, "username": "alice", **data})
    return response.status_code, response.json()


def test_locking_ends_the_session_on_the_server(locked: Client, alice: User) -> None:
    response = locked.get("/staff/sessions/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/?next=")
    assert StaffSession.objects.get(user=alice).ended_at is not None
    assert AuditEntry.objects.filter(action="account.session_locked").count() == 1


def test_both_factors_unlock(locked: Client, alice: User, alice_secret: str) -> None:
    status, answer = unlock(locked, password=PASSPHRASE, code=code(alice_secret, 1))
    assert status == 200 and answer["ok"] is True
    assert isinstance(answer["csrf"], str) and answer["csrf"]  # the new session's token
    assert locked.get("/staff/sessions/").status_code == 200
    assert locked.session.get(sessions.SECOND_FACTOR_AT) is not None
    assert StaffSession.objects.filter(user=alice, ended_at=None).count() == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"account.signed_in", "account.second_factor_passed"} <= actions


@pytest.mark.parametrize("which", ["password only", "code only", "neither"])
def test_one_factor_alone_unlocks_nothing(locked: Client, alice_secret: str, which: str) -> None:
    data = {
        "password only": {"password": PASSPHRASE},
        "code only": {"code": code(alice_secret, 1)},
        "neither": {},
    }[which]
    status, answer = unlock(locked, **data)
    assert status == 400 and answer["ok"] is False and answer["message"]
    assert locked.get("/staff/home/").status_code == 302
    assert "_auth_user_id" not in locked.session


def test_a_wrong_passphrase_does_not_use_up_the_code(
    locked: Client, alice: User, alice_secret: str
) -> None:
    right_code = code(alice_secret, 1)
    status, answer = unlock(locked, password="not it at all", code=right_code)
    assert status == 400 and "username or passphrase is not right" in str(answer["message"])
    assert AuditEntry.objects.filter(action="account.sign_in_failed").count() == 1
    assert unlock(locked, password=PASSPHRASE, code=right_code)[0] == 200


def test_a_wrong_code_is_a_failed_second_factor(
    locked: Client, alice: User, alice_secret: str
) -> None:
    status, answer = unlock(locked, password=PASSPHRASE, code=wrong_code(alice_secret))
    assert status == 400 and "code is not right" in str(answer["message"])
    alice.refresh_from_db()
    assert alice.failed_sign_ins == 1
    assert AuditEntry.objects.filter(action="account.second_factor_failed").count() == 1
    assert locked.get("/staff/home/").status_code == 302


def test_five_failures_lock_the_account(locked: Client, alice: User, alice_secret: str) -> None:
    for _ in range(4):
        assert unlock(locked, password=PASSPHRASE, code=wrong_code(alice_secret))[0] == 400
    status, _answer = unlock(locked, password=PASSPHRASE, code=wrong_code(alice_secret))
    assert status == 429
    # Now even both right factors are refused, as on the sign-in page.
    assert unlock(locked, password=PASSPHRASE, code=code(alice_secret, 1))[0] == 429
    assert AuditEntry.objects.filter(action="account.locked").exists()


def test_a_recovery_code_is_a_second_factor_too(locked: Client, alice: User) -> None:
    from passage.accounts.services import second_factor

    codes = second_factor.recovery_codes_generate(user=alice, actor="cli")
    assert unlock(locked, password=PASSPHRASE, code=codes[0])[0] == 200


def test_the_staff_page_carries_the_lock_screen(alice: User, alice_secret: str) -> None:
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    html = client.get("/staff/sessions/").content.decode()
    # Kept in a <template> until the page locks: no second sign-in form in every page.
    template = html[html.index('<template id="lock-screen-template">') : html.index("</template>")]
    assert 'id="lock-screen"' in template and 'name="password"' in template
    assert 'data-lock-url="/staff/sessions/lock/"' in html
    assert 'action="/staff/sessions/unlock/"' in html
    assert 'name="password"' in html and 'name="code"' in html
