"""Admin pages for desks: list with members and leads, create, rename, deactivate, reactivate."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts.models import Desk, User
from passage.audit.models import AuditEntry
from tests.accounts.admin_support import submit

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]


def test_list_shows_members_leads_and_partners(
    signed_in: Signed,
    admin: User,
    caseworker: User,
    desk_lead: User,
    colleague: User,
    partner_org: object,
    desk_north: Desk,
) -> None:
    partner_org.desks.add(desk_north)  # type: ignore[attr-defined]
    html = signed_in(admin).get("/staff/admin/desks/").content.decode()
    north = html.split("North Caucasus", 1)[1].split("</tr>", 1)[0]
    assert "<td>lead</td>" in north
    assert "caseworker, lead" in north
    assert "P-001" in north
    assert "colleague" in html.split("Middle East and North Africa", 1)[1]


def test_empty_state_explains(signed_in: Signed, admin: User) -> None:
    html = signed_in(admin).get("/staff/admin/desks/").content.decode()
    assert "No desks yet." in html


def test_create_rename_deactivate_reactivate(signed_in: Signed, admin: User) -> None:
    client = signed_in(admin)
    created = submit(client, "/staff/admin/desks/new/", {"name": "  Central Asia "})
    assert created.status_code == 302
    desk = Desk.objects.get()
    assert desk.name == "Central Asia"

    renamed = submit(client, f"/staff/admin/desks/{desk.pk}/edit/", {"name": "Central Asia 2"})
    assert renamed.status_code == 302
    desk.refresh_from_db()
    assert desk.name == "Central Asia 2"

    assert submit(client, f"/staff/admin/desks/{desk.pk}/deactivate/").status_code == 302
    desk.refresh_from_db()
    assert not desk.is_active
    assert "deactivated" in client.get("/staff/admin/desks/").content.decode()
    assert submit(client, f"/staff/admin/desks/{desk.pk}/reactivate/").status_code == 302
    desk.refresh_from_db()
    assert desk.is_active

    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert [a for a in actions if a.startswith("desk.")] == [
        "desk.created",
        "desk.renamed",
        "desk.deactivated",
        "desk.reactivated",
    ]


def test_duplicate_or_empty_names_are_400(signed_in: Signed, admin: User, desk_north: Desk) -> None:
    client = signed_in(admin)
    duplicate = submit(client, "/staff/admin/desks/new/", {"name": "north caucasus"})
    assert duplicate.status_code == 400
    assert "A desk with that name exists already." in duplicate.content.decode()
    assert submit(client, "/staff/admin/desks/new/", {"name": ""}).status_code == 400
    assert Desk.objects.count() == 1


def test_a_deactivated_desk_gets_no_new_members(
    signed_in: Signed, admin: User, caseworker: User, desk_north: Desk
) -> None:
    desk = Desk.objects.create(name="Closed", is_active=False)
    client = signed_in(admin)
    # Not offered on the invitation form, and refused if sent anyway.
    assert "Closed" not in client.get("/staff/admin/users/invite/").content.decode()
    response = submit(
        client,
        f"/staff/admin/users/{caseworker.pk}/edit/",
        {"roles": ["caseworker"], "desks": [desk_north.pk, desk.pk]},
    )
    assert response.status_code == 400
    assert not caseworker.memberships.filter(desk=desk).exists()
