"""Critical alerts are pinned atop every staff page for those they target until someone
acknowledges them (a word and an icon, not colour alone; a plain form, no JS), and come first
in the alert list."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts.models import Desk, User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]
BANNER = 'aria-labelledby="pinned-alerts-title"'


def critical(desk: Desk) -> Alert:
    return alert_raise(
        code=kinds.SAFEHOUSE_COMPROMISED,
        severity="critical",
        target_desk=desk,
        case_reference="PSG-2026-000077",
        actor="system",
    )


def token_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_banner_is_pinned_for_the_target_until_acknowledged(
    signed_in: SignedIn, caseworker: User, colleague: User, desk_north: Desk
) -> None:
    alert = critical(desk_north)
    client = signed_in(caseworker)
    for path in ("/staff/home/", "/staff/sessions/", "/staff/alerts/on-call/"):
        html = client.get(path).content.decode()
        assert BANNER in html, path
        assert "Critical</span> 1 alert waits for acknowledgement" in html
        assert "PSG-2026-000077" in html
        assert f'action="/staff/alerts/{alert.pk}/acknowledge/"' in html
    assert BANNER not in signed_in(colleague).get("/staff/home/").content.decode()

    html = client.get("/staff/sessions/").content.decode()
    response = client.post(
        f"/staff/alerts/{alert.pk}/acknowledge/",
        {"csrfmiddlewaretoken": token_of(html), "next": "/staff/sessions/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/sessions/"  # back where the banner was
    assert BANNER not in client.get("/staff/home/").content.decode()
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED


def test_next_must_be_a_staff_page_of_this_site(
    signed_in: SignedIn, caseworker: User, desk_north: Desk
) -> None:
    alert = critical(desk_north)
    client = signed_in(caseworker)
    token = token_of(client.get("/staff/home/").content.decode())
    response = client.post(
        f"/staff/alerts/{alert.pk}/acknowledge/",
        {"csrfmiddlewaretoken": token, "next": "//evil.example/staff/"},
    )
    assert response["Location"] == "/staff/alerts/"


def test_warnings_are_not_pinned_and_critical_ones_come_first(
    signed_in: SignedIn, caseworker: User, desk_north: Desk
) -> None:
    first = critical(desk_north)
    alert_raise(
        code=kinds.BREAK_GLASS,
        severity="warning",
        target_desk=desk_north,
        case_reference="PSG-2026-000099",
        actor="system",
    )
    html = signed_in(caseworker).get("/staff/alerts/").content.decode()
    assert html.index("PSG-2026-000077", html.index("<table")) < html.index("PSG-2026-000099")
    assert "Pinned until acknowledged" in html
    banner = html[html.index(BANNER) : html.index("</section>", html.index(BANNER))]
    assert "PSG-2026-000099" not in banner and "PSG-2026-000077" in banner
    assert "Critical" in banner  # a word, not colour alone
    assert first.pk
