"""cases.access: ``visible_cases(user)`` (lists) agrees with ``access_to(user, case)`` (pages)
for every persona and every kind of case, and both say what accounts.visibility promises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passage.accounts.models import Desk, Membership, PartnerOrganisation, User
from passage.accounts.roles import Role
from passage.accounts.services import break_glass as break_glass_service
from passage.accounts.visibility import Access
from passage.alerts.services import break_glass_open
from passage.cases import access, queries
from passage.cases.models import Case
from passage.cases.services import assignment, consent, opening, verification
from tests.cases.conftest import person
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

D, A, B, P, N = Access.DESK, Access.ASSIGNEE, Access.BREAK_GLASS, Access.PARTNER, Access.NONE
NORTH_CASES = ("own", "assigned", "referred", "shared", "revoked", "frozen", "glass", "expired")
DESK_OF_NORTH = dict.fromkeys(NORTH_CASES, D)

# persona -> case -> expected access (NONE where not listed)
EXPECTED: dict[str, dict[str, Access]] = {
    "caseworker": DESK_OF_NORTH,
    "desk_lead": DESK_OF_NORTH,
    "verifier": DESK_OF_NORTH,
    "screener": DESK_OF_NORTH,
    "colleague": {"south": D, "glass": B},  # the grant on "frozen" and "expired" opens nothing
    "south_lead": {"south": D},
    "moved_on": {"south": D, "assigned": A},
    "partner_user": {"referred": P},  # also referred "frozen": hidden while frozen
    "other_partner_user": {"shared": P},  # "revoked" was revoked, "frozen" is frozen
    "south_partner_user": {},
    "admin": {},
    "auditor": {},
    "interpreter": {},
    "suspended": {},
}


@dataclass
class World:
    users: dict[str, User]
    cases: dict[str, Case]


def share_with(case: Case, partner: PartnerOrganisation, actor: User) -> None:
    consent.consent_record(
        case=case,
        recipient_kind=partner.kind,
        partner=partner,
        sections={"person"},
        given_on=timezone.localdate(),
        how_given="in writing",
        actor=actor,
    )
    partner.desks.add(case.desk)  # a partner shares only cases of desks it works with
    consent.case_share(case=case, partner=partner, sections={"person"}, actor=actor)


def glass(user: User, case: Case, *, expired: bool = False) -> None:
    if expired:
        break_glass_service.break_glass_open(
            user=user,
            case_id=case.pk,
            desk_id=case.desk_id,
            reason="an hour ago, checking a duplicate",
            now=timezone.now() - dt.timedelta(hours=2),
        )
        return
    break_glass_open(
        user=user,
        case_id=case.pk,
        desk_id=case.desk_id,
        reason="checking a duplicate phone number",
        case_reference=case.reference,
    )


@pytest.fixture
def world(
    open_case: Callable[..., Case],
    desk_north: Desk,
    desk_south: Desk,
    caseworker: User,
    colleague: User,
    desk_lead: User,
    verifier: User,
    screener: User,
    south_lead: User,
    partner_user: User,
    other_partner_user: User,
    other_partner_org: PartnerOrganisation,
    south_partner_org: PartnerOrganisation,
    admin: User,
    auditor: User,
) -> World:
    moved_on = make_staff("moved-on", Role.CASEWORKER, desks=(desk_north, desk_south))
    interpreter = make_staff("interpreter", Role.INTERPRETER, desks=(desk_north,))
    suspended = make_staff("suspended", Role.CASEWORKER, desks=(desk_north,))
    south_partner_user = make_staff("partner3", Role.PARTNER, partner=south_partner_org)

    cases: dict[str, Case] = {
        "own": open_case("Own"),
        "south": open_case("South", actor=colleague, desk=desk_south),
    }
    cases["assigned"] = open_case("Assigned")
    assignment.case_assign(case=cases["assigned"], assignee=moved_on, actor=desk_lead)
    Membership.objects.filter(user=moved_on, desk=desk_north).delete()
    cases["referred"] = opening.referral_submit(
        actor=partner_user, desk=desk_north, person=person("Referred")
    )
    cases["shared"] = open_case("Shared")
    share_with(cases["shared"], other_partner_org, caseworker)
    cases["revoked"] = open_case("Revoked")
    share_with(cases["revoked"], other_partner_org, caseworker)
    consent.case_share_revoke(share=cases["revoked"].shares.get(), actor=caseworker)
    cases["glass"] = open_case("Glass")
    glass(colleague, cases["glass"])
    cases["expired"] = open_case("Expired")
    glass(colleague, cases["expired"], expired=True)
    frozen = opening.referral_submit(actor=partner_user, desk=desk_north, person=person("Frozen"))
    share_with(frozen, other_partner_org, caseworker)
    glass(colleague, frozen)
    verification.verification_outcome_record(
        case=frozen,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="asked where the safe house is",
        actor=verifier,
    )
    cases["frozen"] = frozen
    suspended.suspended_at = timezone.now()
    suspended.save(update_fields=["suspended_at"])

    users = {
        "caseworker": caseworker,
        "desk_lead": desk_lead,
        "verifier": verifier,
        "screener": screener,
        "colleague": colleague,
        "south_lead": south_lead,
        "moved_on": moved_on,
        "partner_user": partner_user,
        "other_partner_user": other_partner_user,
        "south_partner_user": south_partner_user,
        "admin": admin,
        "auditor": auditor,
        "interpreter": interpreter,
        "suspended": suspended,
    }
    return World(
        {name: User.objects.get(pk=u.pk) for name, u in users.items()},
        {name: Case.objects.get(pk=c.pk) for name, c in cases.items()},
    )


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_access_and_lists_agree_for_every_persona(persona: str, world: World) -> None:
    user = world.users[persona]
    visible = set(access.visible_cases(user).values_list("pk", flat=True))
    for name, case in world.cases.items():
        expected = EXPECTED[persona].get(name, N)
        got = access.access_to(user, case)
        assert got is expected, (persona, name, got)
        assert (case.pk in visible) is bool(got), (persona, name)
        # The staff case page answers exactly for staff access; partners use the portal.
        view = queries.case_for(user, case.pk)
        assert (view is not None) is (bool(got) and got is not P), (persona, name)
        if view is not None:
            assert view.access is got
            assert view.works is (got in {D, A})
    assert visible <= {c.pk for c in world.cases.values()}


def test_worked_cases_are_the_desk_and_assigned_ones_only(world: World) -> None:
    colleague = world.users["colleague"]
    assert set(access.worked_cases(colleague)) == {world.cases["south"]}
    moved_on = world.users["moved_on"]
    assert set(access.worked_cases(moved_on)) == {world.cases["south"], world.cases["assigned"]}
    assert not access.worked_cases(world.users["partner_user"]).exists()


def test_search_finds_only_visible_cases(world: World) -> None:
    case = world.cases["own"]
    assert [r.case for r in queries.search(world.users["caseworker"], case.reference)] == [case]
    assert queries.search(world.users["colleague"], case.reference) == []
    assert [r.case.pk for r in queries.search(world.users["caseworker"], "Own")] == [case.pk]
    assert queries.search(world.users["colleague"], "Own") == []
    assert queries.search(world.users["partner_user"], "Referred") == []


# --- Any combination of a case's facts -------------------------------------------------------


@st.composite
def case_facts(draw: st.DrawFn) -> dict[str, bool]:
    return {
        "south": draw(st.booleans()),
        "referred": draw(st.booleans()),
        "shared": draw(st.booleans()),
        "assigned": draw(st.booleans()),
        "glass": draw(st.booleans()),
        "frozen": draw(st.booleans()),
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(facts=case_facts())
def test_any_case_is_listed_exactly_when_it_may_be_seen(
    facts: dict[str, bool],
    desk_north: Desk,
    desk_south: Desk,
    caseworker: User,
    colleague: User,
    partner_user: User,
    other_partner_user: User,
    other_partner_org: PartnerOrganisation,
    both_desks: User,
    verifier: User,
    south_lead: User,
) -> None:
    """Examples add cases to the same transaction; every check covers only the new case."""
    desk = desk_south if facts["south"] else desk_north
    worker = colleague if facts["south"] else caseworker
    if facts["referred"] and not facts["south"]:
        case = opening.referral_submit(actor=partner_user, desk=desk, person=person("P"))
    else:
        case = opening.case_open(desk=desk, actor=worker, person=person("P"))
    if facts["shared"]:
        share_with(case, other_partner_org, worker)
    if facts["assigned"]:
        assignment.case_assign(case=case, assignee=both_desks, actor=worker)
    if facts["glass"]:
        glass(south_lead if not facts["south"] else caseworker, case)
    if facts["frozen"]:
        runner = verifier if not facts["south"] else make_or_get_south_verifier(desk_south)
        verification.verification_outcome_record(
            case=case,
            outcome=Case.Verification.SUSPECTED_HOSTILE,
            note="something is wrong here",
            actor=runner,
        )
    case = Case.objects.get(pk=case.pk)
    for user in (caseworker, colleague, partner_user, other_partner_user, both_desks, south_lead):
        user = User.objects.get(pk=user.pk)
        got = access.access_to(user, case)
        listed = access.visible_cases(user).filter(pk=case.pk).exists()
        assert listed is bool(got), (user.username, facts, got)


def make_or_get_south_verifier(desk_south: Desk) -> User:
    found = User.objects.filter(username="south-verifier").first()
    return found or make_staff("south-verifier", Role.VERIFIER, desks=(desk_south,))
