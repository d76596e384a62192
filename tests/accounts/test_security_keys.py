"""Security keys (WebAuthn): adding one, signing in and stepping up with it, the role policy.

A software authenticator stands in for the key: a P-256 key pair making "none" attestations
and signed assertions exactly as a browser passes them on (same JSON as webauthn.js sends).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import time
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from webauthn.helpers import bytes_to_base64url

from passage.accounts import sessions
from passage.accounts.models import RolePolicy, SecurityKey, User
from passage.accounts.roles import Role
from passage.accounts.services import second_factor as factors
from passage.audit.models import AuditEntry
from tests.accounts.conftest import (
    PASSPHRASE,
    code,
    enter_code,
    form_token,
    full_sign_in,
    sign_in,
)

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def b64(data: bytes) -> str:
    return bytes_to_base64url(data)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class SoftKey:
    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    def _cose(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options: dict[str, Any], origin: str = ORIGIN) -> dict[str, Any]:
        client_data = json.dumps(
            {"type": "webauthn.create", "challenge": options["challenge"], "origin": origin}
        ).encode()
        auth_data = (
            sha256(options["rp"]["id"].encode())
            + bytes([0x41])  # user present, attested credential data
            + struct.pack(">I", 0)
            + bytes(16)
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["usb"],
            },
        }

    def get(self, options: dict[str, Any], origin: str = ORIGIN) -> dict[str, Any]:
        self.sign_count += 1
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": options["challenge"], "origin": origin}
        ).encode()
        auth_data = (
            sha256(options["rpId"].encode()) + bytes([0x01]) + struct.pack(">I", self.sign_count)
        )
        signature = self.private.sign(auth_data + sha256(client_data), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": None,
            },
        }


def ceremony(client: Client, page: str, begin: str, finish: str, act: Any, **extra: str) -> Any:
    token = form_token(client, page)
    options = client.post(begin, {"csrfmiddlewaretoken": token})
    assert options.status_code == 200, options.content
    credential = act(options.json())
    return client.post(
        finish, {"csrfmiddlewaretoken": token, "credential": json.dumps(credential), **extra}
    )


def add_key(client: Client, key: SoftKey, label: str = "blue key") -> Any:
    return ceremony(
        client,
        "/staff/security-keys/",
        "/staff/security-keys/add/begin/",
        "/staff/security-keys/add/finish/",
        key.create,
        label=label,
    )


def use_key(client: Client, key: SoftKey, page: str = "/staff/second-factor/", **extra: str) -> Any:
    return ceremony(
        client,
        page,
        "/staff/second-factor/key/begin/",
        "/staff/second-factor/key/finish/",
        key.get,
        **extra,
    )


@pytest.fixture
def key() -> SoftKey:
    return SoftKey()


@pytest.fixture
def alice_with_key(alice: User, alice_secret: str, key: SoftKey) -> User:
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    response = add_key(client, key)
    assert response.json() == {"redirect": "/staff/security-keys/"}
    return alice


def test_adding_a_key_keeps_only_its_public_key(alice_with_key: User, key: SoftKey) -> None:
    stored = SecurityKey.objects.get(user=alice_with_key)
    assert bytes(stored.credential_id) == key.credential_id
    assert stored.label == "blue key"
    assert AuditEntry.objects.filter(action="account.security_key_added").count() == 1


def test_the_page_works_without_javascript(alice: User, alice_secret: str) -> None:
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    html = client.get("/staff/security-keys/").content.decode()
    assert "Adding a key needs JavaScript" in html
    assert '<form id="security-key-add"' in html and " hidden>" in html
    assert '<script src="/static/passage/webauthn.js" defer></script>' in html


def test_signing_in_with_the_key(alice_with_key: User, key: SoftKey) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    html = client.get("/staff/second-factor/").content.decode()
    assert "Use my security key instead" in html
    response = use_key(client, key)
    assert response.json() == {"redirect": "/staff/home/"}
    assert client.get("/staff/home/").status_code == 200
    assert SecurityKey.objects.get(user=alice_with_key).sign_count == 1
    assert AuditEntry.objects.filter(action="account.second_factor_passed").exists()


def test_an_assertion_cannot_be_replayed(alice_with_key: User, key: SoftKey) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    token = form_token(client, "/staff/second-factor/")
    options = client.post("/staff/second-factor/key/begin/", {"csrfmiddlewaretoken": token}).json()
    credential = json.dumps(key.get(options))
    finish = "/staff/second-factor/key/finish/"
    first = client.post(finish, {"csrfmiddlewaretoken": token, "credential": credential})
    assert first.status_code == 200
    other = Client(enforce_csrf_checks=True)
    sign_in(other, "alice", PASSPHRASE)
    token = form_token(other, "/staff/second-factor/")
    other.post("/staff/second-factor/key/begin/", {"csrfmiddlewaretoken": token})
    replay = other.post(finish, {"csrfmiddlewaretoken": token, "credential": credential})
    assert replay.status_code == 400
    assert "That key was not accepted" in replay.json()["error"]


def test_another_key_is_refused_and_counts_as_a_failure(alice_with_key: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    response = use_key(client, SoftKey())
    assert response.status_code == 400
    alice_with_key.refresh_from_db()
    assert alice_with_key.failed_sign_ins == 1
    assert client.get("/staff/home/")["Location"] == "/staff/second-factor/"


def test_a_key_from_another_site_is_refused(alice_with_key: User, key: SoftKey) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    token = form_token(client, "/staff/second-factor/")
    options = client.post("/staff/second-factor/key/begin/", {"csrfmiddlewaretoken": token}).json()
    phished = key.get(options, origin="https://passage-login.example")
    response = client.post(
        "/staff/second-factor/key/finish/",
        {"csrfmiddlewaretoken": token, "credential": json.dumps(phished)},
    )
    assert response.status_code == 400


def test_step_up_with_the_key(alice_with_key: User, key: SoftKey) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    use_key(client, key)
    session = client.session
    session[sessions.SECOND_FACTOR_AT] = time.time() - 600
    session.save()
    assert client.get("/staff/password/")["Location"] == "/staff/step-up/?next=/staff/password/"
    response = use_key(client, key, page="/staff/step-up/", next="/staff/password/")
    assert response.json() == {"redirect": "/staff/password/"}
    assert AuditEntry.objects.filter(action="account.second_factor_stepped_up").count() == 1


def test_role_policy_makes_totp_insufficient_once_a_key_exists(
    alice_with_key: User, alice_secret: str, key: SoftKey
) -> None:
    RolePolicy.objects.create(role=Role.CASEWORKER, require_security_key=True)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    assert enter_code(client, code(alice_secret, 1)).status_code == 400
    # Recovery codes still open the way (the key may be lost), and the key itself works.
    codes = factors.recovery_codes_generate(user=alice_with_key, actor="system")
    assert enter_code(client, codes[0])["Location"] == "/staff/home/"
    again = Client(enforce_csrf_checks=True)
    sign_in(again, "alice", PASSPHRASE)
    assert use_key(again, key).json() == {"redirect": "/staff/home/"}


def test_without_a_key_yet_totp_still_works_under_the_policy(
    alice: User, alice_secret: str
) -> None:
    RolePolicy.objects.create(role=Role.CASEWORKER, require_security_key=True)
    client = Client(enforce_csrf_checks=True)
    full_sign_in(client, "alice", alice_secret)
    assert "asks for a security key" in client.get("/staff/security-keys/").content.decode()


def test_removing_a_key(alice_with_key: User, alice_secret: str) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "alice", PASSPHRASE)
    enter_code(client, code(alice_secret, 1))  # the fixture used this step's code already
    stored = SecurityKey.objects.get(user=alice_with_key)
    token = form_token(client, "/staff/security-keys/")
    response = client.post(
        f"/staff/security-keys/{stored.pk}/remove/", {"csrfmiddlewaretoken": token}
    )
    assert response["Location"] == "/staff/security-keys/"
    assert not SecurityKey.objects.filter(user=alice_with_key).exists()


def test_key_endpoints_need_a_passphrase_first(outsider: Client) -> None:
    token = form_token(outsider, "/staff/")
    response = outsider.post("/staff/second-factor/key/begin/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 403
