"""The desk workload page /staff/workload/desks/<id>/: leads of the desk only; caseload per
worker by stage, untouched cases, approvals, overdue contacts, hand-overs waiting; no N+1."""

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
from passage.cases.models import Case, CaseEvent
from passage.cases.services import approvals, assignment
from passage.cases.workflow import Stage
from passage.crypto import datakeys
from passage.workload import queries, services
from tests.cases.helpers import move
from tests.cases.views.support import page

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]


def desk_url(desk: Desk) -> str:
    return reverse("workload:desk", args=[desk.pk])


def test_the_north_lead_sees_north_and_not_south(
    signed_in: Signed, desk_lead: User, desk_north: Desk, desk_south: Desk
) -> None:
    client = signed_in(desk_lead)
    assert "North Caucasus" in page(client, desk_url(desk_north))
    page(client, desk_url(desk_south), status=404)
    index = client.get(reverse("workload:index"))
    assert index.status_code == 302 and index["Location"] == desk_url(desk_north)


@pytest.mark.parametrize("persona", ["caseworker", "colleague", "screener", "admin", "auditor"])
def test_everyone_else_gets_404(
    request: pytest.FixtureRequest, signed_in: Signed, desk_north: Desk, persona: str
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, desk_url(desk_north), status=404)
    page(client, reverse("workload:index"), status=404)
    page(client, reverse("workload:handover", args=[desk_north.pk]), status=404)


def test_the_outsider_is_sent_to_sign_in(outsider: Client, desk_north: Desk) -> None:
    response = outsider.get(desk_url(desk_north))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:sign-in") + "?next=")


def test_caseload_untouched_approvals_and_overdue_contacts(
    desk_north: Desk,
    desk_lead: User,
    caseworker: User,
    caseworker2: User,
    open_case: Callable[..., Case],
) -> None:
    now = timezone.now()
    a = open_case("A")
    b = open_case("B")
    c = open_case("C")
    for case in (a, b):
        assignment.case_assign(case=case, assignee=caseworker, actor=caseworker)
    move(b, caseworker, Stage.SCREENING)
    # c: nothing on its timeline for 20 days, no contact.
    CaseEvent.objects.filter(case=c).update(at=now - dt.timedelta(days=20))
    Case.objects.filter(pk=c.pk).update(opened_at=now - dt.timedelta(days=20))
    # a: overdue contact; its timeline is old but a contact 2 days ago touched it.
    CaseEvent.objects.filter(case=a).update(at=now - dt.timedelta(days=30))
    Case.objects.filter(pk=a.pk).update(
        next_contact_due=now - dt.timedelta(hours=3), last_contact_at=now - dt.timedelta(days=2)
    )
    approvals.emergency_request(
        case=b, amount=40, purpose="food", comment="nothing to eat", actor=caseworker
    )

    work = queries.desk_workload(desk_north, now=now)
    loads = {w.user.username if w.user else None: w for w in work.workers}
    assert loads["caseworker"].total == 2
    assert loads["caseworker"].by_stage == {Stage.NEW: 1, Stage.SCREENING: 1}
    assert loads["caseworker"].contacts_overdue == 1
    assert loads[None].total == 1 and loads[None].untouched == 1
    assert loads["caseworker2"].total == 0  # on the desk, no cases: still listed
    assert [x.pk for x in work.untouched] == [c.pk]
    assert [x.pk for x in work.contacts_overdue] == [a.pk]
    assert [x.case_id for x in work.approvals] == [b.pk]
    assert work.open_total == 3


def test_the_receiving_lead_sees_a_pending_transfer_and_its_note(
    signed_in: Signed,
    north_case: Case,
    caseworker: User,
    south_lead: User,
    desk_south: Desk,
) -> None:
    services.transfer_request(
        case=north_case, to_desk=desk_south, note="moved to the transit city", actor=caseworker
    )
    content = page(signed_in(south_lead), desk_url(desk_south))
    assert north_case.reference in content
    assert "moved to the transit city" in content
    assert f"Accept {north_case.reference}" in content


def queries_of(client: Client, path: str) -> int:
    assert client.get(path).status_code == 200
    datakeys.cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_the_same_with_3_and_30_cases(
    signed_in: Signed,
    desk_north: Desk,
    desk_lead: User,
    caseworker: User,
    caseworker2: User,
    open_case: Callable[..., Case],
) -> None:
    client = signed_in(desk_lead)
    now = timezone.now()

    def add(n: int) -> None:
        for i in range(n):
            case = open_case(f"Load {i}")
            if i % 2:
                assignment.case_assign(
                    case=case, assignee=caseworker if i % 4 == 1 else caseworker2, actor=caseworker
                )
            if i % 3 == 0:
                Case.objects.filter(pk=case.pk).update(next_contact_due=now - dt.timedelta(days=1))
            if i % 5 == 0:
                approvals.emergency_request(
                    case=case, amount=40, purpose="food", comment="nothing to eat", actor=caseworker
                )

    add(3)
    small = queries_of(client, desk_url(desk_north))
    add(27)
    large = queries_of(client, desk_url(desk_north))
    assert small == large


def test_each_view_of_a_transfer_note_is_audited(
    signed_in: Signed,
    north_case: Case,
    caseworker: User,
    south_lead: User,
    desk_south: Desk,
) -> None:
    from tests.workload.support import entries

    transfer = services.transfer_request(
        case=north_case, to_desk=desk_south, note="the reason", actor=caseworker
    )
    client = signed_in(south_lead)
    page(client, desk_url(desk_south))
    page(client, desk_url(desk_south))
    assert len(entries("workload.transfer_note_viewed", str(transfer.pk))) == 2
