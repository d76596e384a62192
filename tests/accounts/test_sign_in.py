"""Staff sign-in at /staff/ (passphrase, then second factor), the "My work" page and sign-out."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from passage.accounts.models import StaffSession, User
from passage.audit.models import AuditEntry
from tests.accounts.conftest import (
    PASSPHRASE,
    code,
    enter_code,
    form_token,
    full_sign_in,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.django_db


def error_summary(html: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    assert found, "no error summary"
    return found.group(0)


def test_sign_in_page_is_an_accessible_form(browser: Client) -> None:
    response = browser.get("/staff/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/staff/" novalidate>' in html
    assert '<label class="field__label" for="id_username">Username</label>' in html
    assert '<label class="field__label" for="id_password">Passphrase</label>' in html
    username = re.search(r"<input[^>]*name=\"username\"[^>]*>", html)
    password = re.search(r"<input[^>]*name=\"password\"[^>]*>", html)
    assert username and password
    assert 'autocomplete="username"' in username.group(0)
    assert 'autocapitalize="none"' in username.group(0)
    assert "autofocus" in username.group(0)
    assert 'type="password"' in password.group(0)
    assert 'autocomplete="current-password"' in password.group(0)
    assert '<button type="submit" class="button">Sign in</button>' in html


def test_sign_in_rotates_the_session_and_goes_home(
    browser: Client, alice: User, alice_secret: str
) -> None:
    before = browser.session  # an anonymous session exists already (e.g. a language choice)
    before["marker"] = "x"
    before.save()
    old_key = before.session_key

    response = sign_in(browser, "alice", PASSPHRASE)

    assert response.status_code == 302
    assert response["Location"] == "/staff/second-factor/"
    new_key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    # The passphrase alone opens nothing: every staff page sends to the second step.
    assert browser.get("/staff/home/")["Location"] == "/staff/second-factor/"
    response = enter_code(browser, code(alice_secret))
    assert response["Location"] == "/staff/home/"
    home = browser.get("/staff/home/")
    assert home.status_code == 200
    assert "<h1>My work</h1>" in home.content.decode()
    assert "alice" in home.content.decode()


def test_sign_in_is_audited_with_the_request_id(browser: Client, alice: User) -> None:
    response = sign_in(browser, "alice", PASSPHRASE)
    entry = AuditEntry.objects.get(action="account.signed_in")
    assert entry.actor == f"user:{alice.pk}"
    assert (entry.object_type, entry.object_id) == ("user", str(alice.pk))
    assert entry.request_id == response["X-Request-Id"]


def test_usernames_are_not_case_sensitive(browser: Client, alice: User) -> None:
    assert sign_in(browser, "ALICE", PASSPHRASE).status_code == 302


def test_wrong_passphrase_unknown_user_and_disabled_account_look_the_same(
    alice: User,
) -> None:
    make_user("bob", is_active=False)
    answers = []
    for username, password in [
        ("alice", "not the passphrase"),
        ("nobody-by-this-name", PASSPHRASE),
        ("bob", PASSPHRASE),
    ]:
        client = Client(enforce_csrf_checks=True)
        response = sign_in(client, username, password)
        assert response.status_code == 400
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        html = response.content.decode()
        assert f'value="{username}"' in html  # what was typed is kept ...
        assert f'value="{password}"' not in html  # ... except the passphrase
        normalised = re.sub(r'value="[^"]*"', 'value=""', html)
        answers.append(normalised)
        assert client.get("/staff/home/").status_code == 302  # not signed in
    assert answers[0] == answers[1] == answers[2]
    assert "The username or passphrase is not right." in error_summary(answers[0])
    assert not AuditEntry.objects.filter(action="account.signed_in").exists()


def test_empty_fields_are_explained_next_to_the_field_and_at_the_top(browser: Client) -> None:
    response = sign_in(browser, "", "")
    assert response.status_code == 400
    html = response.content.decode()
    summary = error_summary(html)
    assert '<a href="#id_username">Enter your username.</a>' in summary
    assert '<a href="#id_password">Enter your passphrase.</a>' in summary
    assert 'id="id_username_error"' in html
    username = re.search(r"<input[^>]*name=\"username\"[^>]*>", html)
    assert username
    assert 'aria-invalid="true"' in username.group(0)
    assert 'aria-describedby="id_username_error"' in username.group(0)
    assert "autofocus" not in username.group(0)  # focus goes to the summary instead
    assert 'role="alert" tabindex="-1" autofocus' in summary


def test_sign_in_without_csrf_token_is_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/staff/")
    response = client.post("/staff/", {"username": "alice", "password": PASSPHRASE})
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()
    assert client.get("/staff/home/").status_code == 302


def test_signed_in_visitors_of_the_sign_in_page_go_home(
    browser: Client, alice: User, alice_secret: str
) -> None:
    sign_in(browser, "alice", PASSPHRASE)
    assert browser.get("/staff/")["Location"] == "/staff/second-factor/"
    enter_code(browser, code(alice_secret))
    response = browser.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/home/"


def test_home_needs_sign_in_and_comes_back_after(
    browser: Client, alice: User, alice_secret: str
) -> None:
    response = browser.get("/staff/home/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/?next=/staff/home/"
    html = browser.get(response["Location"]).content.decode()
    assert '<input type="hidden" name="next" value="/staff/home/">' in html
    signed_in = sign_in(browser, "alice", PASSPHRASE, next="/staff/home/")
    assert signed_in["Location"] == "/staff/second-factor/?next=%2Fstaff%2Fhome%2F"
    html = browser.get(signed_in["Location"]).content.decode()
    assert '<input type="hidden" name="next" value="/staff/home/">' in html
    token = form_token(browser, signed_in["Location"])
    done = browser.post(
        "/staff/second-factor/",
        {"csrfmiddlewaretoken": token, "code": code(alice_secret), "next": "/staff/home/"},
    )
    assert done["Location"] == "/staff/home/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/staff/",
        "/healthz",
        "/static/passage/passage.css",
        "javascript:alert(1)",
        "/\\evil.example",
    ],
)
def test_next_never_leaves_the_staff_console(
    browser: Client, alice: User, alice_secret: str, next_url: str
) -> None:
    response = sign_in(browser, "alice", PASSPHRASE, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/staff/second-factor/"
    token = form_token(browser, "/staff/second-factor/")
    response = browser.post(
        "/staff/second-factor/",
        {"csrfmiddlewaretoken": token, "code": code(alice_secret), "next": next_url},
    )
    assert response["Location"] == "/staff/home/"


def test_sign_out_is_post_only(browser: Client, alice: User, alice_secret: str) -> None:
    full_sign_in(browser, "alice", alice_secret)
    assert browser.get("/staff/sign-out/").status_code == 405
    assert browser.get("/staff/home/").status_code == 200  # still signed in


def test_sign_out_needs_the_csrf_token(browser: Client, alice: User, alice_secret: str) -> None:
    full_sign_in(browser, "alice", alice_secret)
    assert browser.post("/staff/sign-out/").status_code == 403
    assert browser.get("/staff/home/").status_code == 200


def test_sign_out_ends_the_session_and_is_audited(
    browser: Client, alice: User, alice_secret: str
) -> None:
    full_sign_in(browser, "alice", alice_secret)
    session_key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    token = form_token(browser, "/staff/home/")  # the sign-out button's form
    response = browser.post("/staff/sign-out/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert not Session.objects.filter(session_key=session_key).exists()
    assert browser.get("/staff/home/").status_code == 302
    entry = AuditEntry.objects.get(action="account.signed_out")
    assert entry.actor == f"user:{alice.pk}"
    assert StaffSession.objects.get(user=alice).ended_at is not None


def test_sign_in_page_refuses_other_methods() -> None:
    # With CSRF enforced these stop at the CSRF check (403); without, at the method check.
    client = Client()
    assert client.put("/staff/").status_code == 405
    assert client.delete("/staff/").status_code == 405
    assert Client(enforce_csrf_checks=True).put("/staff/").status_code == 403
