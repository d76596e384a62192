"""The alerts page /staff/alerts/, its acknowledge / resolve actions and the top-bar count."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit.models import AuditEntry
from tests.alerts.helpers import page_token

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]


def north_alert(desk: Desk) -> Alert:
    return alert_raise(
        code=kinds.BREAK_GLASS,
        severity=Alert.Severity.WARNING,
        target_desk=desk,
        case_reference="PSG-2026-000042",
        actor="system",
    )


def test_the_page_lists_new_alerts_with_buttons(
    signed_in: SignedIn, caseworker: User, desk_north: Desk
) -> None:
    alert = north_alert(desk_north)
    response = signed_in(caseworker).get("/staff/alerts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "PSG-2026-000042" in html
    assert f'action="/staff/alerts/{alert.pk}/acknowledge/"' in html
    assert f'action="/staff/alerts/{alert.pk}/resolve/"' in html
    assert "Alerts (1)" in html  # the top bar


def test_acknowledge_and_resolve_through_the_page(
    signed_in: SignedIn, caseworker: User, desk_north: Desk
) -> None:
    alert = north_alert(desk_north)
    client = signed_in(caseworker)
    token = page_token(client, "/staff/alerts/")

    response = client.post(
        f"/staff/alerts/{alert.pk}/acknowledge/", {"csrfmiddlewaretoken": token, "status": "new"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/alerts/?status=new"
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.acknowledged_by == caseworker

    acknowledged = client.get("/staff/alerts/?status=acknowledged").content.decode()
    assert "PSG-2026-000042" in acknowledged
    assert "Alerts (0)" in acknowledged

    token = page_token(client, "/staff/alerts/?status=acknowledged")
    client.post(f"/staff/alerts/{alert.pk}/resolve/", {"csrfmiddlewaretoken": token})
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED
    assert "PSG-2026-000042" in client.get("/staff/alerts/?status=resolved").content.decode()
    assert set(
        AuditEntry.objects.filter(object_id=str(alert.pk)).values_list("action", flat=True)
    ) == {"alert.raised", "alert.acknowledged", "alert.resolved"}


def test_alerts_of_another_desk_are_invisible_and_404(
    signed_in: SignedIn, caseworker: User, colleague: User, desk_north: Desk
) -> None:
    alert = north_alert(desk_north)
    client = signed_in(colleague)
    html = client.get("/staff/alerts/").content.decode()
    assert "PSG-2026-000042" not in html
    assert "Alerts (0)" in html
    token = page_token(client, "/staff/alerts/")
    for action in ("acknowledge", "resolve"):
        response = client.post(
            f"/staff/alerts/{alert.pk}/{action}/", {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.status == Alert.Status.NEW


def test_an_unknown_alert_is_404(signed_in: SignedIn, admin: User) -> None:
    client = signed_in(admin)
    token = page_token(client, "/staff/alerts/")
    response = client.post(
        "/staff/alerts/00000000-0000-4000-8000-000000000000/acknowledge/",
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 404


def test_posts_need_the_csrf_token(signed_in: SignedIn, admin: User) -> None:
    alert = alert_raise(
        code=kinds.BREAK_GLASS, severity="warning", target_role=Role.ADMIN, actor="system"
    )
    response = signed_in(admin).post(f"/staff/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.status == Alert.Status.NEW


def test_actions_refuse_get(signed_in: SignedIn, admin: User) -> None:
    alert = alert_raise(
        code=kinds.BREAK_GLASS, severity="warning", target_role=Role.ADMIN, actor="system"
    )
    assert signed_in(admin).get(f"/staff/alerts/{alert.pk}/acknowledge/").status_code == 405


def test_the_outsider_is_sent_to_sign_in(outsider: Client, desk_north: Desk) -> None:
    alert = north_alert(desk_north)
    response = outsider.get("/staff/alerts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/?next=")
    response = outsider.post(f"/staff/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 403  # no CSRF token: refused before the view
    alert.refresh_from_db()
    assert alert.status == Alert.Status.NEW


def test_partner_users_get_404_and_no_count(
    signed_in: SignedIn, partner_user: User, partner_org: object
) -> None:
    client = signed_in(partner_user)
    assert client.get("/staff/alerts/").status_code == 404


def test_an_unknown_status_shows_new_alerts(signed_in: SignedIn, admin: User) -> None:
    response = signed_in(admin).get("/staff/alerts/?status=bogus")
    assert response.status_code == 200
    assert "No alerts here" in response.content.decode()


def test_an_unusual_reading_alert_names_the_reader_and_the_reasons(
    signed_in: SignedIn, admin: User, colleague: User
) -> None:
    alert_raise(
        code=kinds.UNUSUAL_READING,
        severity=Alert.Severity.WARNING,
        target_role=Role.ADMIN,
        details=("foreign_cases", "odd_hour"),
        object_type="user",
        object_id=str(colleague.pk),
        actor="system",
    )
    html = signed_in(admin).get("/staff/alerts/").content.decode()
    assert "reading of protected case records looks unusual" in html
    assert "Staff member: colleague" in html
    assert "<li>many cases outside their desks and assignments</li>" in html
    assert "<li>at an hour they never work</li>" in html


def test_the_top_bar_count_shows_on_every_staff_page_for_alert_readers(
    signed_in: SignedIn, admin: User, partner_user: User, partner_org: object
) -> None:
    alert_raise(code=kinds.BREAK_GLASS, severity="warning", target_role=Role.ADMIN, actor="system")
    assert (
        '<a href="/staff/alerts/">Alerts (1)</a>'
        in signed_in(admin).get("/staff/home/").content.decode()
    )
    partner_page = signed_in(partner_user).get("/staff/sessions/").content.decode()
    assert "Sign out" in partner_page  # a staff page with the top bar...
    assert "/staff/alerts/" not in partner_page  # ...but no alerts for partners


def test_pages_of_alerts_keep_the_chosen_status(
    signed_in: SignedIn, caseworker: User, desk_north: Desk
) -> None:
    for _ in range(51):  # one more than a page
        north_alert(desk_north)
    client = signed_in(caseworker)
    first = client.get("/staff/alerts/?status=new").content.decode()
    assert 'href="?status=new&amp;page=2"' in first
    second = client.get("/staff/alerts/?status=new&page=2").content.decode()
    assert 'href="?status=new&amp;page=1"' in second
