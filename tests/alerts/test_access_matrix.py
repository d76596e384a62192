"""The alerts URLs of ``tests/access_matrix.py``, asked by every persona in a small world of
their own (the project-wide walk is ``tests/test_access_matrix.py``): each GET answers what its
line says; unknown ids are 404; and a POST by the outsider or a persona without the right is
refused (sign-in or 404) on every URL that changes something, so nothing is written."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import Desk, User
from passage.alerts.models import Alert, Drill, OnCallShift, PushDestination
from passage.alerts.services import alert_raise
from tests import access_matrix
from tests.access_matrix import ARGS, MATRIX, PERSONAS
from tests.accounts.conftest import form_token
from tests.test_access_matrix import answer, clients, walk  # noqa: F401 -- clients: fixture

pytestmark = pytest.mark.django_db

ALLOWED = {access_matrix.A, access_matrix.M}


def names() -> list[str]:
    return sorted(r.name for r in walk() if r.name.startswith("alerts:"))


def url(name: str, world: dict[str, str], **override: str) -> str:
    kwargs = {arg: override.get(key, world[key]) for arg, key in ARGS.get(name, {}).items()}
    return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def world(caseworker: User, desk_north: Desk) -> dict[str, str]:
    return {"desk": str(desk_north.pk), "user": str(caseworker.pk), "missing": str(uuid.uuid4())}


def test_every_alerts_url_has_a_line() -> None:
    assert set(names()) <= set(MATRIX)
    assert {n for n in MATRIX if n.startswith("alerts:")} == set(names())


def test_every_persona_gets_its_line(
    clients: dict[str, Client],  # noqa: F811 -- the fixture
    world: dict[str, str],
) -> None:
    wrong = []
    for name in names():
        expected = dict(zip(PERSONAS, MATRIX[name], strict=True))
        for persona, client in clients.items():
            got = answer(client, url(name, world))
            if got != expected[persona]:
                wrong.append(f"{name} as {persona}: expected {expected[persona]}, got {got}")
            if ARGS.get(name) and expected[persona] == access_matrix.A:
                unknown = {key: str(uuid.uuid4()) for key in ARGS[name].values()}
                missing = answer(client, url(name, world, **unknown))
                if missing != access_matrix.N:
                    wrong.append(f"{name} as {persona} with unknown ids: got {missing}")
    assert not wrong, "\n".join(wrong)


def test_refused_personas_cannot_post_anything(
    clients: dict[str, Client],  # noqa: F811 -- the fixture
    world: dict[str, str],
    caseworker: User,
    desk_north: Desk,
) -> None:
    alert = alert_raise(
        code="alerts.drill", severity="critical", target_desk=desk_north, actor="system"
    )
    shift = OnCallShift.objects.create(
        desk=desk_north,
        user=caseworker,
        starts_at=alert.created_at,
        ends_at=alert.created_at + dt.timedelta(hours=1),
    )
    targets = {
        "alerts:shift-new": url("alerts:shift-new", world),
        "alerts:shift-remove": reverse("alerts:shift-remove", kwargs={"shift_id": shift.pk}),
        "alerts:drill-start": reverse("alerts:drill-start"),
        "alerts:destination-edit": url("alerts:destination-edit", world),
    }
    data = {
        "user": str(caseworker.pk),
        "starts_at": "2030-01-01T00:00",
        "ends_at": "2030-01-01T08:00",
        "desk": str(desk_north.pk),
        "webhook_url": "https://attacker.example/",
        "email": "",
    }
    wrong = []
    for name, target in targets.items():
        expected = dict(zip(PERSONAS, MATRIX[name], strict=True))
        for persona, client in clients.items():
            if expected[persona] in ALLOWED:
                continue
            token = "x" * 32
            if persona not in {"outsider", "no2fa"}:
                token = form_token(client, "/staff/sessions/")
            else:
                client.get(reverse("staff:sign-in"))
                token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
            response = client.post(target, {**data, "csrfmiddlewaretoken": token})
            location = response.get("Location", "")
            refused = response.status_code in {403, 404} or (
                response.status_code == 302
                and (location.startswith(reverse("staff:sign-in")) or "second-factor" in location)
            )
            if not refused:
                wrong.append(f"{name} as {persona}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert OnCallShift.objects.count() == 1
    assert not Drill.objects.exists()
    assert not PushDestination.objects.exists()
    assert Alert.objects.count() == 1
