"""Sessions: idle and absolute timeouts, ended sessions, suspended users, "My sessions"."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from passage.accounts import sessions
from passage.accounts.models import StaffSession, User
from passage.accounts.services import sessions as services
from passage.audit.models import AuditEntry
from tests.accounts.conftest import (
    PASSPHRASE,
    code,
    form_token,
    post_form,
)

pytestmark = pytest.mark.django_db

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def signed_in_client(secret: str, user_agent: str = FIREFOX_ANDROID, offset: int = 0) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=user_agent)
    token = form_token(client, "/staff/")
    client.post(
        "/staff/", {"csrfmiddlewaretoken": token, "username": "alice", "password": PASSPHRASE}
    )
    response = post_form(client, "/staff/second-factor/", {"code": code(secret, offset)})
    assert response["Location"] == "/staff/home/"
    return client


def shift(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_idle_timeout_ends_the_session(alice: User, alice_secret: str) -> None:
    client = signed_in_client(alice_secret)
    session_key = client.session.session_key
    shift(client, sessions.LAST_SEEN_AT, settings.PASSAGE_SESSION_IDLE_SECONDS - 30)
    assert client.get("/staff/home/").status_code == 200  # not yet, and it counts as activity
    shift(client, sessions.LAST_SEEN_AT, settings.PASSAGE_SESSION_IDLE_SECONDS + 1)
    response = client.get("/staff/home/")
    assert response["Location"] == "/staff/?ended=idle&next=%2Fstaff%2Fhome%2F"
    page = client.get(response["Location"])
    assert "You were signed out after a while without activity." in page.content.decode()
    assert not Session.objects.filter(session_key=session_key).exists()
    assert StaffSession.objects.get(user=alice).ended_at is not None
    assert AuditEntry.objects.filter(action="account.session_timed_out").count() == 1


def test_a_timed_out_post_is_not_carried_out(alice: User, alice_secret: str) -> None:
    client = signed_in_client(alice_secret)
    token = form_token(client, "/staff/sessions/")
    row = StaffSession.objects.get(user=alice)
    shift(client, sessions.LAST_SEEN_AT, settings.PASSAGE_SESSION_IDLE_SECONDS + 1)
    response = client.post(f"/staff/sessions/{row.pk}/end/", {"csrfmiddlewaretoken": token})
    assert response["Location"] == "/staff/?ended=idle"


def test_absolute_timeout_ends_even_a_busy_session(alice: User, alice_secret: str) -> None:
    client = signed_in_client(alice_secret)
    shift(client, sessions.STARTED_AT, settings.SESSION_COOKIE_AGE + 1)
    response = client.get("/staff/home/")
    assert response["Location"].startswith("/staff/?ended=expired")
    assert "reached its time limit" in client.get(response["Location"]).content.decode()
    assert client.get("/staff/home/")["Location"].startswith("/staff/?next=")


def test_timeouts_are_configured() -> None:
    assert settings.PASSAGE_SESSION_IDLE_SECONDS == 15 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_a_suspended_user_is_out_on_the_next_request(alice: User, alice_secret: str) -> None:
    client = signed_in_client(alice_secret)
    assert client.get("/staff/home/").status_code == 200
    User.objects.filter(pk=alice.pk).update(is_active=False)
    response = client.get("/staff/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/?ended=ended")
    assert StaffSession.objects.get(user=alice).ended_at is not None


def test_ending_all_sessions_of_a_user_takes_effect_at_once(alice: User, alice_secret: str) -> None:
    phone = signed_in_client(alice_secret)
    laptop = signed_in_client(alice_secret, CHROME_WINDOWS, offset=1)
    assert services.sessions_end_all_for(user=alice, actor="system") == 2
    for client in (phone, laptop):
        assert client.get("/staff/home/")["Location"].startswith("/staff/?")
    assert not StaffSession.objects.filter(user=alice, ended_at=None).exists()
    assert Session.objects.count() == 0  # the server-side data is gone too


def test_ending_everyone(alice: User, alice_secret: str, admin: User) -> None:
    from tests.personas import sign_in_as

    mine = signed_in_client(alice_secret)
    theirs = sign_in_as(admin)
    assert services.sessions_end_everyone(actor=f"user:{admin.pk}") == 2
    assert mine.get("/staff/home/").status_code == 302
    assert theirs.get("/staff/home/").status_code == 302
    assert AuditEntry.objects.filter(action="account.sessions_ended_everyone").count() == 1


def test_a_session_without_its_record_is_refused(alice: User) -> None:
    client = Client()
    client.force_login(alice)  # a session made behind the sign-in's back
    assert client.get("/staff/home/")["Location"].startswith("/staff/?ended=ended")


def test_my_sessions_lists_and_ends_sessions(alice: User, alice_secret: str) -> None:
    phone = signed_in_client(alice_secret)
    laptop = signed_in_client(alice_secret, CHROME_WINDOWS, offset=1)
    html = phone.get("/staff/sessions/").content.decode()
    assert "Firefox on Android" in html and "Chrome on Windows" in html
    assert html.count("This session") == 1
    assert "Mozilla" not in html and "127.0.0.1" not in html
    # Only the coarse label is stored.
    assert set(StaffSession.objects.values_list("device", flat=True)) == {
        "Firefox on Android",
        "Chrome on Windows",
    }
    laptop_row = StaffSession.objects.get(device="Chrome on Windows")
    token = form_token(phone, "/staff/sessions/")
    response = phone.post(f"/staff/sessions/{laptop_row.pk}/end/", {"csrfmiddlewaretoken": token})
    assert response["Location"] == "/staff/sessions/"
    assert "That session has ended." in phone.get("/staff/sessions/").content.decode()
    assert laptop.get("/staff/home/")["Location"].startswith("/staff/?")
    # Ending one's own session signs out.
    own = StaffSession.objects.get(device="Firefox on Android")
    token = form_token(phone, "/staff/sessions/")
    response = phone.post(f"/staff/sessions/{own.pk}/end/", {"csrfmiddlewaretoken": token})
    assert response["Location"] == "/staff/"
    assert phone.get("/staff/home/").status_code == 302


def test_nobody_can_end_someone_elses_session(
    alice: User, alice_secret: str, caseworker: User
) -> None:
    from tests.personas import sign_in_as

    signed_in_client(alice_secret)
    row = StaffSession.objects.get(user=alice)
    other = sign_in_as(caseworker)
    token = form_token(other, "/staff/sessions/")
    response = other.post(f"/staff/sessions/{row.pk}/end/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 404
    assert StaffSession.objects.get(pk=row.pk).ended_at is None


def test_last_seen_moves_at_most_once_a_minute(alice: User, alice_secret: str) -> None:
    client = signed_in_client(alice_secret)
    row = StaffSession.objects.get(user=alice)
    before = row.last_seen_at
    client.get("/staff/home/")
    assert StaffSession.objects.get(pk=row.pk).last_seen_at == before


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (CHROME_WINDOWS, "Chrome on Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        ("curl/8.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_device_labels_are_coarse(agent: str, label: str) -> None:
    assert services.device_label(agent) == label


def test_password_change_ends_other_sessions(alice: User, alice_secret: str) -> None:
    here = signed_in_client(alice_secret)
    elsewhere = signed_in_client(alice_secret, CHROME_WINDOWS, offset=1)
    new = "silver-otter-lantern-cove"
    response = post_form(
        here,
        "/staff/password/",
        {"current_password": PASSPHRASE, "new_password": new, "new_password_again": new},
    )
    assert response["Location"] == "/staff/sessions/"
    assert "Other sessions ended: 1." in here.get("/staff/sessions/").content.decode()
    assert here.get("/staff/home/").status_code == 200  # this one stays
    assert elsewhere.get("/staff/home/").status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)
    assert alice.password.startswith("argon2$argon2id$")
    assert alice.password_changed_at is not None


def test_password_change_checks_the_current_one_and_the_rules(
    alice: User, alice_secret: str
) -> None:
    client = signed_in_client(alice_secret)
    response = post_form(
        client,
        "/staff/password/",
        {"current_password": "nope", "new_password": "short", "new_password_again": "short"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is not your current passphrase." in html
    assert "too short" in html
    assert re.search(r'value="nope"', html) is None


def test_pages_carry_the_idle_warning_and_keep_alive_works(alice: User, alice_secret: str) -> None:
    client = signed_in_client(alice_secret)
    html = client.get("/staff/home/").content.decode()
    assert '<script src="/static/passage/session-timeout.js" defer></script>' in html
    assert f'data-idle-seconds="{settings.PASSAGE_SESSION_IDLE_SECONDS}"' in html
    assert 'data-keep-alive-url="/staff/sessions/keep-alive/"' in html
    shift(client, sessions.LAST_SEEN_AT, settings.PASSAGE_SESSION_IDLE_SECONDS - 10)
    token = form_token(client, "/staff/sessions/")
    shift(client, sessions.LAST_SEEN_AT, settings.PASSAGE_SESSION_IDLE_SECONDS - 10)
    response = client.post("/staff/sessions/keep-alive/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 204
    assert time.time() - client.session[sessions.LAST_SEEN_AT] < 5
    assert client.get("/staff/sessions/keep-alive/").status_code == 405
