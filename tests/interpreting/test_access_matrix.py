"""The interpreter's column of the access matrix (``tests/access_matrix.py``, ``INTERPRETER``):
every URL of the project asked as an interpreter given the North case of the matrix's world.

- Their own pages answer on the case given to them; every case page and list is a 404.
- Every URL that names a case answers 404 for a case not given to them, and for the case
  given to them once the assignment has ended, to a GET and to a POST.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.access import access_of
from passage.accounts.models import Desk, User
from passage.accounts.roles import Role, permissions_for
from passage.cases.models import Case
from passage.interpreting import services
from passage.interpreting.models import InterpreterAssignment
from tests import access_matrix
from tests.access_matrix import ARGS, INTERPRETER, MATRIX, PERSONAS
from tests.accounts.conftest import form_token
from tests.interpreting.world import INTERPRETER as INTERPRETER_NAME
from tests.personas import make_staff, sign_in_as
from tests.test_access_matrix import (  # the matrix's world and its fixtures
    NOT_IDS,
    Route,
    answer,
    clients,
    collected,
    outcome,
    walk,
    world,
)

__all__ = ["clients", "collected", "world"]

pytestmark = pytest.mark.django_db

HELD = {perm.value for perm in permissions_for({Role.INTERPRETER})}


def expected(route: Route) -> str | None:
    """The interpreter's answer for ``route``: declared, or derived (see INTERPRETER's comment);
    None when neither (an undeclared URL)."""
    if route.name in INTERPRETER:
        return INTERPRETER[route.name]
    access = access_of(route.callback)
    if access is None:
        return None
    if access.kind == "staff" and access.perm is not None and access.perm not in HELD:
        return access_matrix.N
    line = MATRIX.get(route.name)
    return dict(zip(PERSONAS, line, strict=True))["caseworker"] if line else None


def url_as_interpreter(route: Route, world: dict[str, Any], **override: str) -> str:
    kwargs = {}
    for argument, key in ARGS.get(route.name, {}).items():
        value = world[key]
        if isinstance(value, dict):  # per persona (e.g. one's own session): none of theirs
            value = str(uuid.uuid4())
        kwargs[argument] = override.get(key, value)
    return reverse(route.name, kwargs=kwargs or None)


def case_routes() -> list[Route]:
    return [r for r in walk() if ARGS.get(r.name, {}).get("case_id") == "case"]


@pytest.fixture
def interpreter_client(world: dict[str, Any]) -> Client:
    return sign_in_as(User.objects.get(username=INTERPRETER_NAME))


def test_every_line_of_the_column_names_a_url() -> None:
    names = {route.name for route in walk()}
    assert set(INTERPRETER) - names == set()
    assert [route.name for route in walk() if expected(route) is None] == []


def test_the_interpreter_gets_what_the_column_says(
    interpreter_client: Client, world: dict[str, Any]
) -> None:
    wrong = []
    for route in walk():
        want = expected(route)
        got = answer(interpreter_client, url_as_interpreter(route, world))
        if got != want:
            wrong.append(f"{route.name} as interpreter: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_every_case_url_is_404_for_a_case_not_given_to_them(
    interpreter_client: Client, world: dict[str, Any]
) -> None:
    routes = case_routes()
    assert {"cases:case", "interpret:case", "interpret:messages"} <= {r.name for r in routes}
    wrong = []
    for route in routes:
        url = url_as_interpreter(route, world, case=world["uninterpreted_case"])
        got = answer(interpreter_client, url)
        if got != access_matrix.N:
            wrong.append(f"{route.name} on a case not given to them: got {got}")
    assert not wrong, "\n".join(wrong)


def test_every_case_url_refuses_their_posts(
    interpreter_client: Client, world: dict[str, Any]
) -> None:
    """POSTs with a valid token to every case URL but the interpreter's own: 404, on the case
    given to them too (nothing of the case may be changed by them)."""
    token = form_token(interpreter_client, "/staff/sessions/")
    wrong = []
    for route in case_routes():
        if route.name.startswith("interpret:") and INTERPRETER.get(route.name) == access_matrix.A:
            continue
        for case in (world["case"], world["uninterpreted_case"]):
            url = url_as_interpreter(route, world, case=case)
            got = outcome(interpreter_client.post(url, {"csrfmiddlewaretoken": token}))
            if got != access_matrix.N:
                wrong.append(f"POST {route.name}: got {got}")
    assert not wrong, "\n".join(wrong)


def test_after_the_assignment_ends_every_case_url_is_404(
    interpreter_client: Client, world: dict[str, Any]
) -> None:
    assignment = InterpreterAssignment.objects.get(pk=world["interpreter_assignment"])
    own = [r for r in case_routes() if INTERPRETER.get(r.name) == access_matrix.A]
    assert len(own) == 5
    for route in own:
        assert answer(interpreter_client, url_as_interpreter(route, world)) == access_matrix.A
    assert assignment.assigned_by is not None
    services.interpreter_end(assignment=assignment, actor=assignment.assigned_by)
    wrong = []
    for route in case_routes():
        got = answer(interpreter_client, url_as_interpreter(route, world))
        if got != access_matrix.N:
            wrong.append(f"{route.name} after the assignment ended: got {got}")
    assert not wrong, "\n".join(wrong)


def test_their_pages_answer_404_for_ids_that_name_nothing(
    interpreter_client: Client, world: dict[str, Any]
) -> None:
    wrong = []
    for route in walk():
        if INTERPRETER.get(route.name) != access_matrix.A or not ARGS.get(route.name):
            continue
        for argument, key in ARGS[route.name].items():
            if key in NOT_IDS:
                continue
            url = url_as_interpreter(route, world, **{key: str(uuid.uuid4())})
            got = answer(interpreter_client, url)
            if got != access_matrix.N:
                wrong.append(f"{route.name} with an unknown {argument}: got {got}")
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def dual_client(world: dict[str, Any], desk_south: Desk) -> Client:
    """A caseworker of the South desk who also interprets, given the North case: the case
    pages' permissions let them through, so only the case's own visibility can refuse."""
    dual = make_staff("dual", Role.CASEWORKER, Role.INTERPRETER, desks=(desk_south,))
    case = Case.objects.get(pk=world["case"])
    services.interpreter_assign(
        case=case, interpreter=dual, languages=["ru"], actor=User.objects.get(username="caseworker")
    )
    return sign_in_as(dual)


def test_a_caseworker_who_interprets_sees_only_the_interpreter_pages(
    dual_client: Client, world: dict[str, Any]
) -> None:
    token = form_token(dual_client, "/staff/sessions/")
    wrong = []
    for route in case_routes():
        own = route.name.startswith("interpret:") and INTERPRETER[route.name] == access_matrix.A
        # Elsewhere, what their South colleague gets (404, or 405 to a GET of a POST-only URL).
        want = (
            access_matrix.A
            if own
            else dict(zip(PERSONAS, MATRIX[route.name], strict=True))["colleague"]
        )
        url = url_as_interpreter(route, world)
        got = answer(dual_client, url)
        if got != want:
            wrong.append(f"{route.name} as a caseworker who interprets: expected {want}, got {got}")
        if not own:
            posted = outcome(dual_client.post(url, {"csrfmiddlewaretoken": token}))
            if posted not in {access_matrix.N, access_matrix.M}:  # M: a read-only page
                wrong.append(f"POST {route.name} as a caseworker who interprets: got {posted}")
    assert not wrong, "\n".join(wrong)
    reference = Case.objects.get(pk=world["case"]).reference
    for name in ("cases:queue", "cases:list", "cases:inbox"):
        response = dual_client.get(reverse(name))
        assert response.status_code == 200 and reference not in response.content.decode()
    found = dual_client.get(reverse("cases:search"), {"q": reference})
    assert found.status_code == 200 and world["case"] not in found.content.decode()
