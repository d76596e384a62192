"""Admin pages for partner organisations: list, create, change, deactivate, reactivate."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.audit.models import AuditEntry
from tests.accounts.admin_support import submit

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]


def test_list_shows_code_name_kind_desks_and_users(
    signed_in: Signed,
    admin: User,
    partner_user: User,
    partner_org: PartnerOrganisation,
    desk_north: Desk,
) -> None:
    partner_org.desks.add(desk_north)
    html = signed_in(admin).get("/staff/admin/partners/").content.decode()
    row = html.split("P-001", 1)[1].split("</tr>", 1)[0]
    assert "Regional network" in row
    assert "NGO or community network" in row
    assert "North Caucasus" in row
    assert f'?partner={partner_org.pk}">1</a>' in row


def test_create_stores_the_name_encrypted(signed_in: Signed, admin: User, desk_north: Desk) -> None:
    client = signed_in(admin)
    response = submit(
        client,
        "/staff/admin/partners/new/",
        {
            "code": "P-014",
            "name": "Rainbow Lawyers Marker",
            "kind": "lawyer",
            "desks": [desk_north.pk],
        },
    )
    assert response.status_code == 302
    partner = PartnerOrganisation.objects.get(code="P-014")
    assert partner.name == "Rainbow Lawyers Marker"
    assert list(partner.desks.all()) == [desk_north]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM accounts_partnerorganisation WHERE code = %s", ["P-014"])
        (stored,) = cursor.fetchone()
    assert "Marker" not in str(stored)
    entry = AuditEntry.objects.get(action="partner.created")
    assert entry.object_id == str(partner.pk)


def test_change_keeps_the_code(
    signed_in: Signed, admin: User, partner_org: PartnerOrganisation, desk_south: Desk
) -> None:
    client = signed_in(admin)
    response = submit(
        client,
        f"/staff/admin/partners/{partner_org.pk}/edit/",
        {"code": "HIJACK", "name": "New name", "kind": "sponsor", "desks": [desk_south.pk]},
    )
    assert response.status_code == 302
    partner_org.refresh_from_db()
    assert (partner_org.code, partner_org.name, partner_org.kind) == (
        "P-001",
        "New name",
        "sponsor",
    )
    assert list(partner_org.desks.all()) == [desk_south]
    assert AuditEntry.objects.filter(action="partner.changed").count() == 1


def test_duplicate_code_and_bad_kind_are_400(
    signed_in: Signed, admin: User, partner_org: PartnerOrganisation
) -> None:
    client = signed_in(admin)
    dup = submit(
        client, "/staff/admin/partners/new/", {"code": "p-001", "name": "x", "kind": "ngo"}
    )
    assert dup.status_code == 400
    assert "exists already" in dup.content.decode()
    bad = submit(client, "/staff/admin/partners/new/", {"code": "P-2", "name": "x", "kind": "spy"})
    assert bad.status_code == 400
    assert PartnerOrganisation.objects.count() == 1


def test_deactivate_needs_its_users_suspended_first(
    signed_in: Signed, admin: User, partner_user: User, partner_org: PartnerOrganisation
) -> None:
    client = signed_in(admin)
    refused = submit(client, f"/staff/admin/partners/{partner_org.pk}/deactivate/")
    assert refused.status_code == 400
    assert "Suspend this organisation" in refused.content.decode()

    partner_user.suspended_at = timezone.now()
    partner_user.is_active = False
    partner_user.save()
    assert submit(client, f"/staff/admin/partners/{partner_org.pk}/deactivate/").status_code == 302
    partner_org.refresh_from_db()
    assert not partner_org.is_active
    # No new people for a deactivated organisation.
    assert str(partner_org.pk) not in client.get("/staff/admin/users/invite/").content.decode()
    assert submit(client, f"/staff/admin/partners/{partner_org.pk}/reactivate/").status_code == 302
    partner_org.refresh_from_db()
    assert partner_org.is_active
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"partner.deactivated", "partner.reactivated"} <= actions
