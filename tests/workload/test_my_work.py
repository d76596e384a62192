"""My work /staff/my-work/: my cases by next action, contacts due, approvals I may decide, my
new alerts, names beside references; the landing page after sign-in; no N+1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.cases.services import approvals, assignment
from passage.crypto import datakeys
from passage.workload import queries
from tests.cases.helpers import to_assessment
from tests.cases.views.support import page

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]
MY_WORK = "/staff/my-work/"


def mine(open_case: Callable[..., Case], user: User, name: str, **dates: dt.datetime) -> Case:
    case = open_case(name)
    assignment.case_assign(case=case, assignee=user, actor=user)
    if dates:
        Case.objects.filter(pk=case.pk).update(**dates)
    return case


def test_my_cases_come_by_next_action(
    caseworker: User, open_case: Callable[..., Case], caseworker2: User
) -> None:
    now = timezone.now()
    waiting = mine(open_case, caseworker, "Waiting")
    later = mine(open_case, caseworker, "Later", next_deadline=now + dt.timedelta(days=5))
    soon = mine(open_case, caseworker, "Soon", next_contact_due=now + dt.timedelta(hours=2))
    late = mine(open_case, caseworker, "Late", next_contact_due=now - dt.timedelta(days=1))
    mine(open_case, caseworker2, "Not mine")
    work = queries.my_work(caseworker, now=now)
    assert [c.pk for c in work.cases] == [late.pk, soon.pk, later.pk, waiting.pk]
    assert [c.pk for c in work.contacts_due] == [late.pk, soon.pk]
    assert work.cases_total == 4


def test_the_page_shows_names_next_actions_and_approvals_i_may_decide(
    signed_in: Signed,
    caseworker: User,
    verifier: User,
    open_case: Callable[..., Case],
) -> None:
    case = mine(open_case, verifier, "Asking For Help")
    assessed = to_assessment(case, caseworker, verifier)
    approvals.relocation_request(
        case=assessed, comment="ready to go, all checked", actor=caseworker
    )
    content = page(signed_in(verifier), MY_WORK)
    assert '<span class="chosen-name">Asking For Help</span>' in content
    assert "waiting (nothing scheduled)" in content
    assert "Approvals waiting for me" in content
    decide = reverse(
        "cases:approval-decide",
        args=[assessed.pk, assessed.approvals.get().pk],
    )
    assert decide in content
    # The requester does not see it as waiting for them (four eyes).
    assert decide not in page(signed_in(caseworker), MY_WORK)


def test_my_new_alerts_are_listed(
    signed_in: Signed, south_lead: User, caseworker: User, north_case: Case, desk_south: Desk
) -> None:
    from passage.workload import services

    services.transfer_request(case=north_case, to_desk=desk_south, note="", actor=caseworker)
    content = page(signed_in(south_lead), MY_WORK)
    assert "1 new alert" in content
    assert f"{north_case.reference} is offered to your desk" in content


def test_my_work_is_in_the_navigation_and_on_the_home_page(
    signed_in: Signed, caseworker: User, admin: User
) -> None:
    client = signed_in(caseworker)
    home = page(client, reverse("staff:home"))
    assert f'href="{MY_WORK}">My work</a>' in home
    assert 'class="sidenav__item" href="/staff/my-work/"' in page(client, reverse("cases:queue"))
    assert MY_WORK not in page(signed_in(admin), reverse("staff:home"))  # works no cases


@pytest.mark.parametrize("persona", ["admin", "auditor", "partner_user"])
def test_who_works_no_cases_gets_404(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str
) -> None:
    page(signed_in(request.getfixturevalue(persona)), MY_WORK, status=404)


def test_the_page_costs_the_same_with_3_and_30_cases(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    client = signed_in(caseworker)
    now = timezone.now()

    def add(n: int) -> None:
        for i in range(n):
            mine(
                open_case,
                caseworker,
                f"Mine {i}",
                next_contact_due=now + dt.timedelta(hours=i - 5),
            )

    def count() -> int:
        assert client.get(MY_WORK).status_code == 200
        datakeys.cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MY_WORK).status_code == 200
        return len(captured.captured_queries)

    add(3)
    small = count()
    add(27)
    assert count() == small
