"""Step-up: a fresh second factor before dangerous actions, then back to where one was going."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from passage.accounts import sessions
from passage.accounts.models import User
from tests.accounts.conftest import code, form_token, full_sign_in, wrong_code

pytestmark = pytest.mark.django_db


def age(client: Client, seconds: float) -> None:
    session = client.session
    session[sessions.SECOND_FACTOR_AT] = time.time() - seconds
    session.save()


def test_stale_second_factor_goes_to_step_up_and_back(alice: User, alice_secret: str) -> None:
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    assert client.get("/staff/password/").status_code == 200  # fresh from signing in
    age(client, 301)
    response = client.get("/staff/password/")
    assert response["Location"] == "/staff/step-up/?next=/staff/password/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Confirm it is you" in page.content.decode()
    token = form_token(client, response["Location"])
    wrong = client.post(
        "/staff/step-up/",
        {
            "csrfmiddlewaretoken": token,
            "code": wrong_code(alice_secret),
            "next": "/staff/password/",
        },
    )
    assert wrong.status_code == 400
    done = client.post(
        "/staff/step-up/",
        {"csrfmiddlewaretoken": token, "code": code(alice_secret, 1), "next": "/staff/password/"},
    )
    assert done["Location"] == "/staff/password/"
    assert client.get("/staff/password/").status_code == 200


def test_step_up_never_sends_elsewhere(alice: User, alice_secret: str) -> None:
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    token = form_token(client, "/staff/step-up/")
    done = client.post(
        "/staff/step-up/",
        {
            "csrfmiddlewaretoken": token,
            "code": code(alice_secret, 1),
            "next": "https://evil.example/staff/",
        },
    )
    assert done["Location"] == "/staff/home/"


def test_step_up_needs_a_signed_in_user(outsider: Client) -> None:
    assert outsider.get("/staff/step-up/")["Location"].startswith("/staff/?next=")
