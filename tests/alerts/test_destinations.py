"""Where pushes go: admins set a webhook and/or e-mail per staff member; both encrypted (own data
key), shown only on the edit page, never in lists, logs or the delivery log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from passage.accounts.models import Desk, User
from passage.alerts import rota
from passage.alerts.models import PushDelivery, PushDestination
from passage.alerts.services import alert_raise
from passage.audit.models import AuditEntry
from tests.alerts.helpers import page_token

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]
HOOK = "https://push.staff.example/MrkTopic9931"
EMAIL = "mrk.person4471@staff.example"


def test_addresses_are_encrypted_at_rest(admin: User, caseworker: User) -> None:
    destination = rota.destination_set(user=caseworker, webhook_url=HOOK, email=EMAIL, actor=admin)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM alerts_pushdestination WHERE id = %s",
            [destination.pk.hex] if connection.vendor == "sqlite" else [str(destination.pk)],
        )
        row = cursor.fetchone()
    assert row is not None
    raw = b"".join(bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row)
    for marker in (b"MrkTopic9931", b"mrk.person4471", b"staff.example"):
        assert marker not in raw
    fresh = PushDestination.objects.get(pk=destination.pk)
    assert (fresh.webhook_url, fresh.email, fresh.has_webhook, fresh.has_email) == (
        HOOK,
        EMAIL,
        True,
        True,
    )
    entries = AuditEntry.objects.filter(action="push.destination_set")
    assert entries.count() == 1
    assert "staff.example" not in repr(list(entries.values()))


def test_only_admins_set_them_and_bad_input_is_refused(
    admin: User, desk_lead: User, caseworker: User, partner_user: User
) -> None:
    with pytest.raises(rota.RotaRefused):
        rota.destination_set(user=caseworker, webhook_url=HOOK, email="", actor=desk_lead)
    for hook, email in (("ftp://x.example/", ""), ("not a url", ""), ("", "not-an-address")):
        with pytest.raises(rota.RotaRefused):
            rota.destination_set(user=caseworker, webhook_url=hook, email=email, actor=admin)
    with pytest.raises(rota.RotaRefused):
        rota.destination_set(user=partner_user, webhook_url=HOOK, email="", actor=admin)
    assert not PushDestination.objects.exists()


def test_the_admin_pages(
    signed_in: SignedIn, admin: User, caseworker: User, desk_north: Desk
) -> None:
    client = signed_in(admin)
    listing = client.get("/staff/alerts/push/").content.decode()
    assert "caseworker" in listing and "Not set" in listing

    url = f"/staff/alerts/push/{caseworker.pk}/"
    token = page_token(client, url)
    bad = client.post(url, {"csrfmiddlewaretoken": token, "webhook_url": "javascript:x"})
    assert bad.status_code == 400
    assert "https://" in bad.content.decode()
    saved = client.post(url, {"csrfmiddlewaretoken": token, "webhook_url": HOOK, "email": EMAIL})
    assert saved.status_code == 302
    listing = client.get("/staff/alerts/push/").content.decode()
    assert HOOK not in listing and EMAIL not in listing  # the list says "Set", no address
    assert HOOK in client.get(url).content.decode()  # the edit page shows it, audited
    viewed = AuditEntry.objects.filter(action="push.destination_viewed")
    assert list(viewed.values_list("object_id", flat=True)) == [str(caseworker.pk)]

    # The delivery log names the person and the status, never the address.
    alert_raise(code="alerts.drill", severity="critical", target_desk=desk_north, actor="system")
    assert PushDelivery.objects.exists()
    log = client.get("/staff/alerts/push/deliveries/").content.decode()
    assert "<td>admin<br>" in log  # nobody on call, no lead: the admin, who has no address
    assert 'tag tag--red">Not sent: no push address configured' in log
    assert HOOK not in log and EMAIL not in log
    assert client.get("/staff/alerts/push/deliveries/?status=bogus").status_code == 200
