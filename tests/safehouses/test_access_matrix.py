"""The logistics column of the safe-house URLs (``tests/access_matrix.py``,
``SAFEHOUSE_LOGISTICS``), asked in the matrix's world: the North desk's logistics coordinator
gets what the column says; a South logistics coordinator, and ids that name nothing, get 404;
the step-up pages send a stale second factor to step-up first. The other personas (the
interpreter's derived column included) are in the main matrix."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from tests import access_matrix
from tests.access_matrix import ARGS, SAFEHOUSE_LOGISTICS
from tests.accounts.conftest import form_token
from tests.cases.views.support import age_second_factor
from tests.personas import make_staff, sign_in_as
from tests.safehouses.world import LOGISTICS
from tests.test_access_matrix import answer, clients, collected, walk, world

__all__ = ["clients", "collected", "world"]

pytestmark = pytest.mark.django_db

STEP_UP = {"safehouses:new", "safehouses:address", "safehouses:compromised"}


def url_in(name: str, world: dict[str, Any], **override: str) -> str:
    kwargs = {arg: override.get(key, world[key]) for arg, key in ARGS.get(name, {}).items()}
    return reverse(name, kwargs=kwargs or None)


def posted(client: Client, url: str, token: str) -> str:
    """The matrix word for a POST with a valid token (for the POST-only URLs)."""
    status = client.post(url, {"csrfmiddlewaretoken": token}).status_code
    return access_matrix.N if status == 404 else str(status)


def test_the_column_covers_every_safehouse_url() -> None:
    names = {r.name for r in walk() if r.name.startswith("safehouses:")}
    assert names == set(SAFEHOUSE_LOGISTICS)


def test_north_logistics_gets_the_column(world: dict[str, Any]) -> None:
    client = sign_in_as(User.objects.get(username=LOGISTICS))
    token = form_token(client, "/staff/sessions/")
    wrong = []
    for name, want in SAFEHOUSE_LOGISTICS.items():
        got = answer(client, url_in(name, world))
        if got != want:
            wrong.append(f"{name}: expected {want}, got {got}")
        for argument, key in ARGS.get(name, {}).items():
            unknown = url_in(name, world, **{key: str(uuid.uuid4())})
            if want == access_matrix.M:  # POST only: the POST must refuse the unknown id
                missing = posted(client, unknown, token)
            else:
                missing = answer(client, unknown)
            if missing != access_matrix.N:
                wrong.append(f"{name} with an unknown {argument}: got {missing}")
    assert not wrong, "\n".join(wrong)


def test_south_logistics_gets_404(world: dict[str, Any], desk_south: Desk) -> None:
    client = sign_in_as(make_staff("south-logistics", Role.LOGISTICS, desks=(desk_south,)))
    token = form_token(client, "/staff/sessions/")
    wrong = []
    for name in SAFEHOUSE_LOGISTICS:
        want = (
            access_matrix.A
            if name in {"safehouses:list", "safehouses:capacity", "safehouses:new"}
            else access_matrix.N
        )
        url = url_in(name, world)
        got = posted(client, url, token) if name == "safehouses:address" else answer(client, url)
        if got != want:
            wrong.append(f"{name}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)
    assert b"Matrix" not in client.get(reverse("safehouses:list")).content


def test_stale_second_factor_is_sent_to_step_up(world: dict[str, Any]) -> None:
    client: Client = sign_in_as(User.objects.get(username=LOGISTICS))
    age_second_factor(client, 3600)
    for name in SAFEHOUSE_LOGISTICS:
        response = client.get(url_in(name, world))
        if name in STEP_UP:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/staff/step-up/"), name
        else:
            assert response.status_code in {200, 405}, name
