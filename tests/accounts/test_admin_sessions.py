"""End every session of every user (emergency), the acting admin's included."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from passage.accounts.models import StaffSession, User
from passage.audit.models import AuditEntry
from tests.accounts.admin_support import age_second_factor, post, submit

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]


def test_confirmation_page_says_what_will_happen(signed_in: Signed, admin: User) -> None:
    response = signed_in(admin).get("/staff/admin/sessions/end-all/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Everyone signed in to Passage, you included, is signed out at once." in html
    assert "End all sessions" in html


def test_ending_all_sessions_signs_out_everyone_including_the_admin(
    signed_in: Signed, admin: User, caseworker: User, auditor: User
) -> None:
    others = [signed_in(caseworker), signed_in(auditor)]
    client = signed_in(admin)

    response = submit(client, "/staff/admin/sessions/end-all/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert not StaffSession.objects.filter(ended_at=None).exists()
    assert not Session.objects.filter(session_key__in=[c.session.session_key for c in others])
    for other in [*others, client]:
        assert other.get("/staff/home/").status_code == 302
    assert AuditEntry.objects.filter(action="account.sessions_ended_everyone").count() == 1


def test_needs_step_up_and_the_permission(
    signed_in: Signed, admin: User, caseworker: User, desk_lead: User
) -> None:
    for user in (caseworker, desk_lead):
        assert signed_in(user).get("/staff/admin/sessions/end-all/").status_code == 404
    client = signed_in(admin)
    age_second_factor(client)
    assert post(client, "/staff/admin/sessions/end-all/")["Location"].startswith("/staff/step-up/")
    assert StaffSession.objects.filter(ended_at=None).count() == 3
