"""No N+1: the number of database queries of the queue, the case list, the inbox and a case's
summary and person pages stays the same as cases (and household members) grow.

Counted with ``CaptureQueriesContext`` on the real pages, after one warm-up request (sessions
and the like), with the process's unwrapped-key cache emptied before each counted request so
that key loading is counted too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import approvals, assignment, campaigns, consent, opening
from passage.cases.workflow import Stage
from passage.crypto import datakeys
from tests.cases.conftest import channel, person
from tests.cases.helpers import interview, move
from tests.cases.views.conftest import Signed
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def queries_of(client: Client, path: str) -> tuple[int, list[str]]:
    """How many queries one GET of ``path`` makes (and their SQL, to explain a failure)."""
    assert client.get(path).status_code == 200  # warm-up
    datakeys.cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def assert_same(small: tuple[int, list[str]], large: tuple[int, list[str]]) -> None:
    if small[0] != large[0]:
        extra = "\n".join(large[1][len(small[1]) :][:10])
        pytest.fail(f"{small[0]} queries with few rows, {large[0]} with many; e.g.:\n{extra}")


@pytest.fixture
def varied(
    open_case: Callable[..., Case],
    caseworker: User,
    caseworker2: User,
    desk_lead: User,
    verifier: User,
    partner_user: User,
) -> Callable[[int], None]:
    """Add ``n`` North cases that differ in what a list row shows: assignee, campaign, stage,
    source (referrals name their partner), contacts, approvals."""
    campaigns.campaign_save(
        actor=desk_lead,
        name="North Caucasus 2017",
        countries=["RU"],
        regions=[],
        starts_on=timezone.localdate(),
        ends_on=None,
        priority_boost=10,
    )
    count = {"made": 0}

    def add(n: int) -> None:
        for _ in range(n):
            i = count["made"]
            count["made"] += 1
            if i % 4 == 0:
                case = opening.referral_submit(
                    actor=partner_user,
                    desk=caseworker.memberships.get().desk,
                    person=person(f"Referred {i}"),
                    channels=[channel(f"+7 900 000-{i:02d}-01", "phone")],
                )
            else:
                case = open_case(
                    f"Person {i}",
                    country="RU" if i % 2 else "IR",
                    channels=[channel(f"@person_{i}", "telegram")],
                    narrative=f"story {i}",
                )
            if i % 3 == 1:
                assignment.case_assign(
                    case=case, assignee=caseworker2 if i % 2 else caseworker, actor=caseworker
                )
            if i % 5 == 2:
                move(case, caseworker, Stage.SCREENING)
            if i % 7 == 3:
                approvals.emergency_request(
                    case=case, amount=40, purpose="food", comment="nothing to eat", actor=caseworker
                )
                interview(case, verifier)

    return add


@pytest.mark.parametrize("path", ["/staff/queue/", "/staff/cases/", "/staff/inbox/"])
def test_lists_cost_the_same_with_3_and_30_cases(
    signed_in: Signed, caseworker: User, varied: Callable[[int], None], path: str
) -> None:
    client = signed_in(caseworker)
    varied(3)
    small = queries_of(client, path)
    varied(27)
    large = queries_of(client, path)
    assert_same(small, large)


def test_the_queue_with_filters_costs_the_same(
    signed_in: Signed, caseworker: User, varied: Callable[[int], None]
) -> None:
    client = signed_in(caseworker)
    path = "/staff/queue/?assignee=none&sort=waiting&waiting=0&stage=new"
    varied(3)
    small = queries_of(client, path)
    varied(27)
    large = queries_of(client, path)
    assert_same(small, large)


@pytest.mark.parametrize("section", ["", "person/", "timeline/", "approvals/", "verification/"])
def test_a_case_page_costs_the_same_with_3_and_30_cases(
    signed_in: Signed,
    caseworker: User,
    open_case: Callable[..., Case],
    varied: Callable[[int], None],
    section: str,
) -> None:
    case = open_case("The Case", channels=[channel("@the_case", "telegram")], narrative="told")
    client = signed_in(caseworker)
    path = f"/staff/cases/{case.pk}/{section}"
    varied(3)
    small = queries_of(client, path)
    varied(27)
    large = queries_of(client, path)
    assert_same(small, large)


@pytest.mark.parametrize("section", ["", "person/"])
def test_a_case_page_costs_the_same_with_1_and_6_household_members(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case], section: str
) -> None:
    case = open_case(
        "The Principal",
        channels=[channel("@principal", "telegram"), channel("+7 900 111-11-11", "phone")],
        narrative="what happened",
    )
    client = signed_in(caseworker)
    path = f"/staff/cases/{case.pk}/{section}"
    small = queries_of(client, path)
    for i in range(5):
        opening.household_member_add(
            case=case,
            details=person(f"Member {i}", relationship="child", languages=["ru"]),
            channels=[
                channel(f"@member_{i}", "signal"),
                channel(f"+7 900 222-22-{i:02d}", "phone"),
            ],
            actor=caseworker,
        )
    large = queries_of(client, path)
    assert_same(small, large)


def test_the_summary_costs_the_same_with_more_history(
    signed_in: Signed,
    caseworker: User,
    verifier: User,
    partner_org: PartnerOrganisation,
    other_partner_org: PartnerOrganisation,
    open_case: Callable[..., Case],
) -> None:
    """Stage changes, checks, consents and shares are summarised in a fixed number of queries."""
    case = open_case("History")
    client = signed_in(caseworker)
    path = f"/staff/cases/{case.pk}/"
    move(case, caseworker, Stage.SCREENING)
    share_with(case, partner_org, caseworker)
    small = queries_of(client, path)
    move(case, caseworker, Stage.VERIFICATION, Stage.SCREENING, Stage.VERIFICATION)
    for _ in range(3):
        interview(case, verifier)
    share_with(case, other_partner_org, caseworker)
    approvals.emergency_request(
        case=case, amount=40, purpose="food", comment="nothing to eat", actor=caseworker
    )
    large = queries_of(client, path)
    assert_same(small, large)


def share_with(case: Case, partner: PartnerOrganisation, actor: User) -> None:
    consent.consent_record(
        case=case,
        recipient_kind=partner.kind,
        partner=partner,
        sections={"person"},
        given_on=timezone.localdate(),
        how_given="on a call",
        actor=actor,
    )
    consent.case_share(case=case, partner=partner, sections={"person"}, actor=actor)


def test_the_queue_costs_the_same_with_more_staff_on_the_desk(
    signed_in: Signed, caseworker: User, desk_north: Desk, north_case: Case
) -> None:
    """The assignee choices read the staff's roles in a fixed number of queries."""
    client = signed_in(caseworker)
    small = queries_of(client, "/staff/queue/")
    for i in range(6):
        make_staff(
            f"extra{i}",
            Role.CASEWORKER,
            desks=(desk_north,),
            lead_of=(desk_north,) if i % 2 else (),
        )
    large = queries_of(client, "/staff/queue/")
    assert_same(small, large)
    content = client.get("/staff/queue/").content.decode()
    assert content.count(">extra") >= 6


def test_the_summary_costs_the_same_with_more_possible_duplicates(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    case = open_case("Asked Often", channels=[channel("+7 928 123-45-67", "phone")])
    open_case("Twice", channels=[channel("+79281234567", "signal")])
    client = signed_in(caseworker)
    path = f"/staff/cases/{case.pk}/"
    small = queries_of(client, path)
    for i in range(3):
        open_case(f"Again {i}", channels=[channel("+7 (928) 123 45 67", "whatsapp")])
    large = queries_of(client, path)
    assert_same(small, large)


def test_the_consent_page_costs_the_same_with_more_consents_and_shares(
    signed_in: Signed,
    caseworker: User,
    partner_org: PartnerOrganisation,
    other_partner_org: PartnerOrganisation,
    open_case: Callable[..., Case],
) -> None:
    case = open_case("Consenting")
    client = signed_in(caseworker)
    path = f"/staff/cases/{case.pk}/consent/"
    share_with(case, partner_org, caseworker)
    small = queries_of(client, path)
    share_with(case, other_partner_org, caseworker)
    share_with(case, partner_org, caseworker)
    large = queries_of(client, path)
    assert_same(small, large)
