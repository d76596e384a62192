"""The triage queue /staff/queue/: open cases of one's desks by level, then score, then waiting
time; filters, sorts, pages; bulk assignment (all or nothing); no personal data on the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.cases.priority import Level
from passage.cases.services import assignment, campaigns, triage
from passage.cases.workflow import Stage
from tests.cases.helpers import fresh, move
from tests.cases.views.conftest import HANDLE, LEGAL_NAME, NAME, STORY, Signed
from tests.cases.views.support import field_error, form_token, page, post, text_of

pytestmark = pytest.mark.django_db

QUEUE = "/staff/queue/"
ASSIGN = "/staff/queue/assign/"


def references(content: str) -> list[str]:
    """The case references of the queue's rows, in order."""
    return re.findall(r'<a class="reference" href="/staff/cases/[^"]+/">([^<]+)</a>', content)


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def ranked(open_case: Callable[..., Case], caseworker: User) -> dict[str, Case]:
    """Cases whose order is known: by level, then score, then the longest waiting."""
    made = {
        "low_new": open_case("Low New"),
        "high_25_new": open_case(
            "High 25 New", factors={"outed_or_family_threat", "sought_by_authorities"}
        ),
        "critical_45": open_case(
            "Critical 45", factors={"immediate_danger", "detained_or_tortured"}
        ),
        "low_old": open_case("Low Old", now=days_ago(3)),
        "high_30": open_case("High 30", factors={"immediate_danger"}),
        "high_27_old": open_case(
            "High 27 Old",
            factors={"outed_or_family_threat", "sought_by_authorities"},
            now=days_ago(20),
        ),
        "critical_by_hand": open_case("Critical By Hand"),
    }
    triage.priority_level_override(
        case=made["critical_by_hand"],
        level=Level.CRITICAL,
        reason="a raid on the safe flat is expected tonight",
        actor=caseworker,
    )
    triage.priority_sweep()  # waiting points of the backdated cases
    return {key: fresh(case) for key, case in made.items()}


# --- What the queue shows --------------------------------------------------------------------


def test_the_queue_orders_by_level_then_score_then_waiting(
    signed_in: Signed, caseworker: User, ranked: dict[str, Case]
) -> None:
    scores = {key: (c.priority_level, c.priority_score) for key, c in ranked.items()}
    assert scores["high_27_old"] == (Level.HIGH, 27)
    assert scores["critical_by_hand"] == (Level.CRITICAL, 0)
    content = page(signed_in(caseworker), QUEUE)
    expected = [
        "critical_45",
        "critical_by_hand",
        "high_30",
        "high_27_old",
        "high_25_new",
        "low_old",
        "low_new",
    ]
    assert references(content) == [ranked[key].reference for key in expected]
    assert "7 open cases" in content


def test_the_queue_shows_only_the_chosen_name(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = page(signed_in(caseworker), QUEUE)
    assert north_case.reference in content
    # The chosen name of a case the caseworker works stands beside its reference; nothing else.
    assert f'<span class="chosen-name">{NAME}</span>' in content
    for secret in (LEGAL_NAME, "Magomedovich", HANDLE, "zaur_quiet_95", STORY):
        assert secret not in content


def test_closed_cases_and_cases_of_other_desks_are_not_in_the_queue(
    signed_in: Signed,
    caseworker: User,
    colleague: User,
    north_case: Case,
    south_case: Case,
    open_case: Callable[..., Case],
) -> None:
    closed = move(open_case("Closed One"), caseworker, Stage.SCREENING, Stage.CLOSED)
    mine = references(page(signed_in(caseworker), QUEUE))
    assert mine == [north_case.reference]
    assert closed.reference not in mine
    assert references(page(signed_in(colleague), QUEUE)) == [south_case.reference]


@pytest.mark.parametrize("persona", ["partner_user", "auditor", "admin"])
def test_the_queue_is_404_for_those_without_desks_work(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, QUEUE, status=404)
    assert post(client, ASSIGN, {"cases": []}).status_code == 404


def test_the_outsider_is_sent_to_sign_in(outsider: Any) -> None:
    response = outsider.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/?next=")


def test_an_empty_queue_says_where_cases_come_from(signed_in: Signed, caseworker: User) -> None:
    assert "No open cases on your desks." in page(signed_in(caseworker), QUEUE)


# --- Filters and sorts -----------------------------------------------------------------------


def test_filter_by_desk(
    signed_in: Signed,
    both_desks: User,
    desk_south: Desk,
    north_case: Case,
    south_case: Case,
) -> None:
    client = signed_in(both_desks)
    assert set(references(page(client, QUEUE))) == {north_case.reference, south_case.reference}
    assert references(page(client, f"{QUEUE}?desk={desk_south.pk}")) == [south_case.reference]


def test_a_desk_of_someone_else_is_not_a_filter(
    signed_in: Signed, caseworker: User, desk_south: Desk, north_case: Case
) -> None:
    response = signed_in(caseworker).get(f"{QUEUE}?desk={desk_south.pk}")
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(text_of(response), "desk")


def test_filter_by_stage(
    signed_in: Signed, caseworker: User, north_case: Case, open_case: Callable[..., Case]
) -> None:
    screened = move(open_case("Screened"), caseworker, Stage.SCREENING)
    client = signed_in(caseworker)
    assert references(page(client, f"{QUEUE}?stage=screening")) == [screened.reference]
    assert references(page(client, f"{QUEUE}?stage=new")) == [north_case.reference]
    closed = client.get(f"{QUEUE}?stage=closed")  # not an open stage: not offered
    assert closed.status_code == 400
    assert "Select a valid choice." in field_error(text_of(closed), "stage")


def test_filter_by_campaign(
    signed_in: Signed, caseworker: User, desk_lead: User, open_case: Callable[..., Case]
) -> None:
    outside = open_case("In Iran", country="IR")
    campaign = campaigns.campaign_save(
        actor=desk_lead,
        name="North Caucasus 2017",
        countries=["RU"],
        regions=[],
        starts_on=timezone.localdate(),
        ends_on=None,
        priority_boost=10,
    )
    inside = open_case("In Russia", country="RU")
    assert fresh(inside).campaign == campaign
    client = signed_in(caseworker)
    content = page(client, f"{QUEUE}?campaign={campaign.pk}")
    assert references(content) == [inside.reference]
    assert outside.reference not in content


def test_filter_by_assignee_and_nobody_yet(
    signed_in: Signed,
    caseworker: User,
    caseworker2: User,
    open_case: Callable[..., Case],
) -> None:
    taken = open_case("Taken")
    assignment.case_assign(case=taken, assignee=caseworker2, actor=caseworker)
    free = open_case("Free")
    client = signed_in(caseworker)
    assert references(page(client, f"{QUEUE}?assignee={caseworker2.pk}")) == [taken.reference]
    assert references(page(client, f"{QUEUE}?assignee=none")) == [free.reference]
    assert references(page(client, f"{QUEUE}?assignee={caseworker.pk}")) == []
    assert "No open case matches these filters." in page(
        client, f"{QUEUE}?assignee={caseworker.pk}"
    )


def test_filter_overdue(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    on_time = open_case("On Time")
    late_contact = open_case("Late Contact")
    late_deadline = open_case("Late Deadline")
    # No cases service sets these dates yet (check-ins and deadlines come with later areas):
    # the plain operational columns are set as those areas will.
    now = timezone.now()
    Case.objects.filter(pk=on_time.pk).update(next_contact_due=now + dt.timedelta(days=3))
    Case.objects.filter(pk=late_contact.pk).update(next_contact_due=now - dt.timedelta(days=1))
    Case.objects.filter(pk=late_deadline.pk).update(next_deadline=now - dt.timedelta(hours=2))
    content = page(signed_in(caseworker), f"{QUEUE}?overdue=on")
    assert sorted(references(content)) == sorted([late_contact.reference, late_deadline.reference])
    assert 'tag--red">overdue' in content


def test_filter_waiting_longer_than(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    old = open_case("Old", now=days_ago(10))
    open_case("Recent", now=days_ago(2))
    client = signed_in(caseworker)
    assert references(page(client, f"{QUEUE}?waiting=7")) == [old.reference]
    assert len(references(page(client, f"{QUEUE}?waiting=0"))) == 2


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("waiting=-1", "waiting", "Ensure this value is greater than or equal to 0."),
        ("waiting=soon", "waiting", "Enter a whole number."),
        ("sort=shoe-size", "sort", "Select a valid choice."),
        ("assignee=someone", "assignee", "Select a valid choice."),
        ("campaign=not-a-uuid", "campaign", "“not-a-uuid” is not a valid UUID."),
    ],
)
def test_bad_filters_say_what_is_wrong_and_keep_what_was_typed(
    signed_in: Signed, caseworker: User, north_case: Case, query: str, field: str, message: str
) -> None:
    response = signed_in(caseworker).get(f"{QUEUE}?{query}")
    assert response.status_code == 400
    content = text_of(response)
    assert message in field_error(content, field)
    assert references(content) == [north_case.reference]  # the unfiltered queue
    if field == "waiting":
        assert f'value="{query.split("=")[1]}"' in content


def test_sorts(signed_in: Signed, caseworker: User, ranked: dict[str, Case]) -> None:
    client = signed_in(caseworker)
    by_reference = references(page(client, f"{QUEUE}?sort=reference"))
    assert by_reference == sorted(c.reference for c in ranked.values())
    by_waiting = references(page(client, f"{QUEUE}?sort=waiting"))
    assert by_waiting[:2] == [ranked["high_27_old"].reference, ranked["low_old"].reference]


def test_51_cases_make_two_pages_and_the_links_keep_the_filters(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    made = [open_case(f"Person {i}") for i in range(51)]
    move(open_case("Screened"), caseworker, Stage.SCREENING)
    client = signed_in(caseworker)
    first = page(client, f"{QUEUE}?stage=new&sort=reference")
    assert len(references(first)) == 50
    assert "Page 1 of 2" in first
    assert "51 open cases" in first
    assert 'href="?stage=new&amp;sort=reference&amp;page=2"' in first
    second = page(client, f"{QUEUE}?stage=new&sort=reference&page=2")
    assert references(second) == [max(c.reference for c in made)]
    assert 'href="?stage=new&amp;sort=reference&amp;page=1"' in second
    # A page out of range shows the last one; nonsense shows the first.
    assert references(page(client, f"{QUEUE}?stage=new&sort=reference&page=9")) == references(
        second
    )
    assert len(references(page(client, f"{QUEUE}?stage=new&page=abc"))) == 50


# --- Bulk assignment -------------------------------------------------------------------------


def bulk(client: Any, cases: list[Any], assignee: str, back: str = "") -> Any:
    token = form_token(client, QUEUE)
    return client.post(
        ASSIGN,
        {
            "csrfmiddlewaretoken": token,
            "cases": [str(c.pk) if isinstance(c, Case) else c for c in cases],
            "assignee": assignee,
            "back": back,
        },
    )


def test_bulk_assignment_assigns_every_ticked_case(
    signed_in: Signed, caseworker: User, caseworker2: User, open_case: Callable[..., Case]
) -> None:
    first, second, third = (open_case(f"Bulk {i}") for i in range(3))
    client = signed_in(caseworker)
    queue = page(client, QUEUE)
    assert f'name="cases" value="{first.pk}"' in queue
    assert f'<option value="{caseworker2.pk}">caseworker2</option>' in queue
    response = bulk(client, [first, second], str(caseworker2.pk), back="stage=new")
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?stage=new"
    assert [fresh(c).assignee for c in (first, second, third)] == [caseworker2, caseworker2, None]
    assert "2 case(s) assigned." in page(client, response["Location"])

    again = bulk(client, [first, second], str(caseworker2.pk))
    assert "Nothing changed: the cases were assigned like that already." in page(
        client, again["Location"]
    )
    bulk(client, [first], "")
    assert fresh(first).assignee is None


def test_a_forged_case_of_another_desk_refuses_the_whole_batch(
    signed_in: Signed,
    caseworker: User,
    caseworker2: User,
    north_case: Case,
    south_case: Case,
) -> None:
    response = bulk(signed_in(caseworker), [north_case, south_case], str(caseworker2.pk))
    assert response.status_code == 404
    assert fresh(north_case).assignee is None
    assert fresh(south_case).assignee is None


def test_an_unknown_case_id_refuses_the_whole_batch(
    signed_in: Signed, caseworker: User, caseworker2: User, north_case: Case
) -> None:
    for forged in ("00000000-0000-4000-8000-000000000000", "not-a-uuid"):
        response = bulk(signed_in(caseworker), [north_case, forged], str(caseworker2.pk))
        assert response.status_code == 404
        assert fresh(north_case).assignee is None


def test_an_assignee_who_cannot_take_one_case_refuses_the_whole_batch(
    signed_in: Signed,
    both_desks: User,
    caseworker: User,
    north_case: Case,
    south_case: Case,
) -> None:
    client = signed_in(both_desks)
    response = bulk(client, [north_case, south_case], str(caseworker.pk))
    assert response.status_code == 302
    content = page(client, response["Location"])
    assert (
        f"{south_case.reference}: the assignee must work cases on the case&#x27;s desk." in content
    )
    assert fresh(north_case).assignee is None
    assert fresh(south_case).assignee is None


def test_bulk_assignment_form_errors_come_back_to_the_queue(
    signed_in: Signed, caseworker: User, colleague: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    nothing = bulk(client, [], str(caseworker.pk), back="sort=reference")
    assert nothing["Location"] == f"{QUEUE}?sort=reference"
    assert "Tick at least one case." in page(client, nothing["Location"])
    stranger = bulk(client, [north_case], str(colleague.pk))
    assert "Select a valid choice." in page(client, stranger["Location"])
    assert fresh(north_case).assignee is None


def test_bulk_assignment_never_redirects_elsewhere(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = bulk(signed_in(caseworker), [north_case], "", back="//evil.example/x")
    assert response["Location"] == QUEUE


def test_bulk_assignment_needs_a_post_with_the_token(
    signed_in: Signed, caseworker: User, caseworker2: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    assert client.get(ASSIGN).status_code == 405
    response = client.post(ASSIGN, {"cases": [str(north_case.pk)], "assignee": str(caseworker2.pk)})
    assert response.status_code == 403
    assert fresh(north_case).assignee is None


def test_a_colleague_cannot_bulk_assign_cases_of_another_desk(
    signed_in: Signed, colleague: User, caseworker: User, north_case: Case, south_case: Case
) -> None:
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    response = bulk(signed_in(colleague), [north_case], "")
    assert response.status_code == 404
    assert fresh(north_case).assignee == caseworker


def test_rows_escape_what_they_show(
    signed_in: Signed, caseworker: User, desk_north: Desk, open_case: Callable[..., Case]
) -> None:
    """The rows are built in Python (cases_ui.queue_row): every value must still be escaped."""
    Desk.objects.filter(pk=desk_north.pk).update(name='North <script>alert("x")</script>')
    case = open_case("Escaped")
    assignment.case_assign(case=case, assignee=caseworker, actor=caseworker)
    content = page(signed_in(caseworker), QUEUE)
    assert "<script>" not in content
    assert "North &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert case.reference in references(content)
