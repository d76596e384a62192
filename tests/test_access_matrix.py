"""Deny by default (DESIGN invariant 4): every URL of the project, every persona, one matrix.

The matrix is declared in ``tests/access_matrix.py``. This module walks the real URL tree
(``get_resolver()``, recursively, namespaces included) and fails on:

- a URL without a line in the matrix ("undeclared URL: name"), or a line without a URL;
- a view that wears none of the access decorators of ``passage.accounts.access``;
- a line that contradicts the view's declared access (a staff page open to outsiders...);
- any persona getting another answer to a GET than its line says;
- a URL with object ids that does not answer 404 for an id that names nothing;
- a public page that answers in a language that is not one of the six.

POST-only endpoints are covered by their declaration (``staff_view`` runs before the method
check) and by the 405 that allowed personas get to a GET.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone
from pytest_django import Settings

from passage.accounts.access import access_of
from passage.accounts.models import (
    Desk,
    PartnerOrganisation,
    SecondFactorReset,
    StaffSession,
    TotpDevice,
    User,
)
from passage.accounts.roles import Role
from passage.accounts.services import invitations
from passage.cases.models import Campaign, Case, DuplicateFlag, Person
from passage.cases.services import approvals, consent, opening
from passage.cases.services.people import PersonDetails
from passage.intake import payloads
from passage.intake.models import RequestItem
from passage.intake.services import directory
from passage.intake.services import public as intake
from tests import access_matrix
from tests.access_matrix import ARGS, MATRIX, PERSONAS
from tests.accounts.conftest import form_token
from tests.casefields.world import casefields_world
from tests.casefiles.world import casefiles_world
from tests.casework.world import casework_world
from tests.documents.world import documents_world
from tests.dossiers.world import dossiers_world
from tests.interpreting.world import interpreting_world
from tests.pathways.world import pathways_world
from tests.personas import make_staff, sign_in_as
from tests.routes.world import routes_world
from tests.safehouses.world import safehouses_world
from tests.settlement.world import settlement_world

pytestmark = pytest.mark.django_db


# --- walking the URL tree --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # with namespaces, e.g. "staff:admin-users"; "" if the pattern has no name
    pattern: str
    callback: Callable[..., Any]
    arguments: tuple[str, ...]


def _arguments(pattern: Any) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def walk(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    """Every URL pattern under ``patterns`` (default: the project's), includes followed."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield Route(
                name=namespace + entry.name if entry.name else "",
                pattern=prefix + str(entry.pattern),
                callback=entry.callback,
                arguments=_arguments(entry.pattern),
            )


def undeclared(routes: list[Route], matrix: dict[str, tuple[str, ...]]) -> list[str]:
    """What is wrong between the URL tree and the matrix, one message per problem."""
    problems = []
    names = set()
    for route in routes:
        if not route.name:
            problems.append(f"unnamed URL pattern: {route.pattern}")
            continue
        names.add(route.name)
        if route.name not in matrix:
            problems.append(f"undeclared URL: {route.name}")
        elif len(matrix[route.name]) != len(PERSONAS):
            problems.append(f"matrix line needs {len(PERSONAS)} answers: {route.name}")
        missing_args = [a for a in route.arguments if a not in ARGS.get(route.name, {})]
        if missing_args:
            problems.append(f"no arguments declared for {route.name}: {missing_args}")
    problems += [f"matrix line for a URL that does not exist: {n}" for n in matrix.keys() - names]
    return problems


def undecorated(routes: list[Route]) -> list[str]:
    return [
        f"undecorated view: {route.name or route.pattern}"
        for route in routes
        if access_of(route.callback) is None
    ]


def contradictions(routes: list[Route], matrix: dict[str, tuple[str, ...]]) -> list[str]:
    """Lines that cannot be right given the view's declared access."""
    problems = []
    for route in routes:
        line = matrix.get(route.name)
        access = access_of(route.callback)
        if line is None or access is None:
            continue
        answers = dict(zip(PERSONAS, line, strict=True))
        if access.kind == "staff":
            if answers["outsider"] not in {access_matrix.L, access_matrix.M}:
                problems.append(f"{route.name}: a staff page must send outsiders to sign in")
            if answers["no2fa"] not in {access_matrix.F, access_matrix.M}:
                problems.append(f"{route.name}: a staff page needs the second factor first")
        if access.kind == "public" and access_matrix.L in line:
            problems.append(f"{route.name}: a public page never asks to sign in")
    return problems


# --- the world the URLs are tried in ---------------------------------------------------------


@pytest.fixture
def collected(settings: Settings, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    return Path(settings.STATIC_ROOT)


@pytest.fixture
def clients(
    caseworker: User,
    colleague: User,
    desk_lead: User,
    screener: User,
    admin: User,
    auditor: User,
    partner_user: User,
    desk_north: Desk,
) -> dict[str, Client]:
    # Enrolled, signed in with the passphrase, second step not done yet.
    halfway = make_staff("halfway", Role.CASEWORKER, desks=(desk_north,))
    TotpDevice.objects.create(user=halfway, secret="JBSWY3DPEHPK3PXP", confirmed=True)
    people = {
        "caseworker": caseworker,
        "colleague": colleague,
        "desk_lead": desk_lead,
        "screener": screener,
        "admin": admin,
        "auditor": auditor,
        "partner_user": partner_user,
    }
    result = {"outsider": Client(enforce_csrf_checks=True)}
    result.update({persona: sign_in_as(user) for persona, user in people.items()})
    result["no2fa"] = sign_in_as(halfway, second_factor=False)
    return result


@pytest.fixture
def world(
    collected: Path,
    clients: dict[str, Client],
    caseworker: User,
    admin: User,
    desk_north: Desk,
    partner_org: PartnerOrganisation,
    memstore: None,
) -> dict[str, Any]:
    north_case, member, referred, extra = _case_world(caseworker, desk_north, partner_org)
    extra.update(_intake_world(admin))
    extra.update(casefiles_world(north_case, caseworker))
    extra.update(casefields_world(admin))
    extra.update(dossiers_world(admin))
    extra.update(casework_world(north_case, caseworker))
    extra.update(documents_world(north_case, caseworker))
    extra.update(interpreting_world(north_case, caseworker))
    extra.update(pathways_world(north_case, caseworker))
    extra.update(routes_world(north_case, caseworker))
    extra.update(safehouses_world(north_case))
    extra.update(settlement_world(north_case, caseworker))
    invitee = User(username="invitee", is_active=False)
    invitee.set_unusable_password()
    invitee.save()
    link = invitations.invitation_create(user=invitee, actor="system")
    own_sessions = {persona: str(uuid.uuid4()) for persona in clients}
    for persona, client in clients.items():
        user_id = client.session.get("_auth_user_id")
        if user_id:
            own = StaffSession.objects.filter(user_id=user_id).latest("created_at")
            own_sessions[persona] = str(own.pk)
    return {
        "static_file": "passage/passage.css",
        "invitation_token": link.rstrip("/").rsplit("/", 1)[-1],
        "own_session": own_sessions,
        "user": str(caseworker.pk),
        "desk": str(desk_north.pk),
        "partner": str(partner_org.pk),
        "reset": str(SecondFactorReset.objects.create(user=caseworker, requested_by=admin).pk),
        "missing": str(uuid.uuid4()),
        **extra,
        "case": str(north_case.pk),
        "principal": str(north_case.people.get(is_principal=True).pk),
        "member": str(member.pk),
        "referred_case": str(referred.pk),
        "verification_kind": "vouch",
        "lang": "ru",
    }


def _case_world(
    caseworker: User, desk_north: Desk, partner_org: PartnerOrganisation
) -> tuple[Case, Person, Case, dict[str, str]]:
    """A North case with a household member, an approval, a consent and share, a duplicate
    flag; a case the partner referred; a campaign."""
    partner_org.desks.add(desk_north)
    twin = PersonDetails(chosen_name="Муслим Исаев", birth_date=dt.date(1990, 1, 2))
    case = opening.case_open(desk=desk_north, actor=caseworker, person=twin)
    opening.case_open(desk=desk_north, actor=caseworker, person=twin)
    opening.household_member_add(
        case=case, details=PersonDetails(chosen_name="Child", relationship="son"), actor=caseworker
    )
    member = case.people.get(is_principal=False)
    approval = approvals.emergency_request(
        case=case, amount=50, purpose="transport", comment="a ticket out tonight", actor=caseworker
    )
    given = consent.consent_record(
        case=case,
        recipient_kind=partner_org.kind,
        sections={"person"},
        given_on=timezone.localdate(),
        how_given="on a call",
        actor=caseworker,
    )
    share = consent.case_share(
        case=case, partner=partner_org, sections={"person"}, actor=caseworker
    )
    partner = partner_org.users.first()
    assert partner is not None
    referred = opening.referral_submit(
        actor=partner, desk=desk_north, person=PersonDetails(chosen_name="Referred")
    )
    flag = DuplicateFlag.objects.get()
    campaign = Campaign.objects.create(
        name="North Caucasus 2017", countries=["RU"], starts_on=dt.date(2017, 4, 1)
    )
    extra = {
        "approval": str(approval.pk),
        "consent": str(given.pk),
        "share": str(share.pk),
        "flag": str(flag.pk),
        "campaign": str(campaign.pk),
    }
    return case, member, referred, extra


def _intake_world(admin: User) -> dict[str, str]:
    """A help request (first step, then a story with one file) and a referral organisation."""
    receipt = intake.request_submit(country="RU", urgency="immediate", language="ru")
    picture = payloads.SealedFile(
        name="image.png", kind="image", content_type="image/png", data=b"\x89PNG\r\n\x1a\n"
    )
    intake.story_submit(
        session=receipt.session, story=payloads.Story(happened="x"), files=[picture]
    )
    item = RequestItem.objects.get(request=receipt.request, kind=RequestItem.Kind.FILE)
    referral = directory.referral_save(
        actor=admin, country="RU", kinds=["legal"], name="Org", contact="https://example.org"
    )
    return {
        "help_request": str(receipt.request.pk),
        "request_file": str(item.pk),
        "referral": str(referral.pk),
    }


# Arguments that are no object's id: they keep their value when the ids are made to name nothing.
NOT_IDS = {"lang"}
# A language of no public page (the URLs only match the six of settings.LANGUAGES).
UNKNOWN_LANGUAGE = "de"

# Arguments that name nothing, for the kinds that are not UUIDs.
MISSING = {
    "invitation_token": "no-such-invitation",
    "static_file": "passage/no-such-file.css",
    "verification_kind": "no-such-kind",
}


def url_for(
    route: Route, world: dict[str, Any], persona: str, *, missing: bool = False, only: str = ""
) -> str:
    """The URL in the world; with ``missing``, every id names nothing (or only the ``only``
    argument does, the others naming real objects)."""
    kwargs = {}
    for argument, key in ARGS.get(route.name, {}).items():
        value = world[key]
        if isinstance(value, dict):
            value = value[persona]
        if missing and key not in NOT_IDS and only in {"", argument}:
            value = MISSING.get(key) or str(uuid.uuid4())
        kwargs[argument] = value
    return reverse(route.name, kwargs=kwargs or None)


def outcome(response: HttpResponse) -> str:
    """The matrix's word for a response (see tests/access_matrix.py)."""
    status = response.status_code
    if status == 404:
        return access_matrix.N
    if status == 405:
        return access_matrix.M
    if 300 <= status < 400:
        target = urlsplit(response["Location"]).path
        if target == reverse("staff:sign-in"):
            return access_matrix.L
        if target in {reverse("staff:second-factor"), reverse("staff:enrol")}:
            return access_matrix.F
        if target == reverse("staff:step-up"):
            return "step_up"
        return access_matrix.A
    if status < 300:
        return access_matrix.A
    return str(status)


def answer(client: Client, url: str) -> str:
    try:
        return outcome(client.get(url))
    except Exception as exc:  # a view that raises is a finding, reported with the others
        return f"exception {type(exc).__name__}"


# --- the tests -------------------------------------------------------------------------------


def test_every_url_is_in_the_matrix() -> None:
    assert undeclared(list(walk()), MATRIX) == []


def test_every_view_declares_who_may_use_it() -> None:
    assert undecorated(list(walk())) == []


def test_the_matrix_agrees_with_the_declarations() -> None:
    assert contradictions(list(walk()), MATRIX) == []


def test_removing_one_line_of_the_matrix_fails() -> None:
    routes = list(walk())
    for name in ("staff:home", "healthz", "staff:admin-user-edit"):
        shortened = copy.deepcopy(MATRIX)
        del shortened[name]
        assert undeclared(routes, shortened) == [f"undeclared URL: {name}"]
    extra = {**MATRIX, "staff:gone": MATRIX["staff:home"]}
    assert undeclared(routes, extra) == ["matrix line for a URL that does not exist: staff:gone"]


def test_a_view_without_an_access_decorator_is_reported() -> None:
    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse("hello")

    routes = list(walk([path("bare/", bare, name="bare"), *get_resolver().url_patterns]))
    assert undecorated(routes) == ["undecorated view: bare"]
    assert "undeclared URL: bare" in undeclared(routes, MATRIX)


def test_every_persona_gets_what_the_matrix_says(
    clients: dict[str, Client], world: dict[str, Any]
) -> None:
    wrong = []
    for route in walk():
        expected = dict(zip(PERSONAS, MATRIX[route.name], strict=True))
        for persona, client in clients.items():
            url = url_for(route, world, persona)
            got = answer(client, url)
            if got != expected[persona]:
                wrong.append(f"{route.name} as {persona}: expected {expected[persona]}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_ids_that_name_nothing_are_404(clients: dict[str, Client], world: dict[str, Any]) -> None:
    """Every id naming nothing; and where a URL has several, each alone naming nothing (a file
    that is not one of this request's, with the request real)."""
    wrong = []
    for route in walk():
        ids = [arg for arg, key in ARGS.get(route.name, {}).items() if key not in NOT_IDS]
        if not ids:
            continue
        for persona, expected in zip(PERSONAS, MATRIX[route.name], strict=True):
            if expected != access_matrix.A:
                continue
            for only in ["", *ids] if len(ids) > 1 else [""]:
                url = url_for(route, world, persona, missing=True, only=only)
                got = answer(clients[persona], url)
                if got != access_matrix.N:
                    unknown = f"an unknown {only}" if only else "unknown ids"
                    wrong.append(f"{route.name} as {persona} with {unknown}: got {got}")
    assert not wrong, "\n".join(wrong)


def test_public_pages_in_an_unknown_language_are_404(
    clients: dict[str, Client], world: dict[str, Any]
) -> None:
    """``lang`` is not an id, but it names something too: a language that is not one of the
    six matches no URL, for anyone (and no page answers it in another language)."""
    tried = set()
    wrong = []
    known = f"/{world['lang']}/"
    for route in walk():
        if "lang" not in ARGS.get(route.name, {}):
            continue
        for persona, client in clients.items():
            url = url_for(route, world, persona)
            assert url.startswith(known), url
            got = answer(client, f"/{UNKNOWN_LANGUAGE}/" + url.removeprefix(known))
            tried.add(route.name)
            if got != access_matrix.N:
                wrong.append(f"{route.name} as {persona} in {UNKNOWN_LANGUAGE!r}: got {got}")
    assert {"public:help", "public:mailbox"} <= tried
    assert not wrong, "\n".join(wrong)


TOKEN_PAGES = {"outsider": "/staff/", "no2fa": "/staff/second-factor/"}


def test_post_only_endpoints_check_access_before_anything_else(
    clients: dict[str, Client], world: dict[str, Any]
) -> None:
    """POSTs with a valid CSRF token to every POST-only staff endpoint: outsiders go to
    sign-in and the half signed-in to the second factor, before anything else happens. Where
    the URL names an object, every signed-in persona also POSTs an id that names nothing and
    gets a 404 (so nothing is changed)."""
    expected = {"outsider": access_matrix.L, "no2fa": access_matrix.F}
    tried = set()
    wrong = []
    for route in walk():
        line = dict(zip(PERSONAS, MATRIX[route.name], strict=True))
        post_only = any(line[p] == access_matrix.M for p in PERSONAS if p not in expected)
        access = access_of(route.callback)
        if not post_only or access is None or access.kind != "staff":
            continue
        for persona, client in clients.items():
            if persona not in expected and not ARGS.get(route.name):
                continue  # would really do it (e.g. start a security-key ceremony)
            token = form_token(client, TOKEN_PAGES.get(persona, "/staff/sessions/"))
            url = url_for(route, world, persona, missing=True)
            try:
                got = outcome(client.post(url, {"csrfmiddlewaretoken": token}))
            except Exception as exc:
                got = f"exception {type(exc).__name__}"
            tried.add(route.name)
            if got != expected.get(persona, access_matrix.N):
                wrong.append(f"POST {route.name} as {persona}: got {got}")
    assert {"staff:session-end", "alerts:acknowledge"} <= tried
    assert not wrong, "\n".join(wrong)


def test_the_matrix_agrees_with_the_permissions(
    clients: dict[str, Client], world: dict[str, Any]
) -> None:
    """A persona without a staff page's permission gets 404 (or 405 where the method check
    comes first); one holding it is never sent to sign-in or the second factor."""
    users = {
        persona: User.objects.get(pk=client.session["_auth_user_id"])
        for persona, client in clients.items()
        if persona not in {"outsider", "no2fa"}
    }
    wrong = []
    for route in walk():
        access = access_of(route.callback)
        if access is None or access.kind != "staff" or access.perm is None:
            continue
        line = dict(zip(PERSONAS, MATRIX[route.name], strict=True))
        for persona, user in users.items():
            if user.may(access.perm):
                allowed = {access_matrix.A, access_matrix.M, access_matrix.N}
            else:
                allowed = {access_matrix.N, access_matrix.M}
            if line[persona] not in allowed:
                wrong.append(f"{route.name} as {persona}: {line[persona]} but perm {access.perm}")
    assert not wrong, "\n".join(wrong)
