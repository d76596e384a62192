"""intake.queries: the screening inbox (screeners only; the screener's level first, then age;
filters), single requests by id, and attach suggestions from blind-index matches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.cases.services import opening
from passage.intake import queries
from passage.intake.models import HelpRequest
from passage.intake.services import screening
from tests.cases.conftest import channel, person
from tests.intake.support import HANDLE, make_screener, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def ids(rows: object) -> list[object]:
    return [row.pk for row in rows]  # type: ignore[attr-defined]


def aged(request: HelpRequest, hours: int) -> HelpRequest:
    HelpRequest.objects.filter(pk=request.pk).update(
        received_at=timezone.now().replace(minute=0, second=0, microsecond=0)
        - dt.timedelta(hours=hours)
    )
    return request


def test_the_screeners_level_first_then_the_oldest(screener: User) -> None:
    oldest = aged(submit().request, 30)
    older = aged(submit().request, 20)
    newest = aged(submit().request, 1)
    high = aged(submit().request, 2)
    low = aged(submit().request, 40)
    screening.request_triage(request=high, actor=screener, level="high")
    screening.request_triage(request=low, actor=screener, level="low")
    rows = queries.inbox(screener, queries.InboxFilters())
    assert ids(rows) == [high.pk, low.pk, oldest.pk, older.pk, newest.pk]


def test_self_reported_urgency_does_not_order_the_list(screener: User) -> None:
    calm = aged(submit(urgency="weeks").request, 5)
    danger = aged(submit(urgency="immediate").request, 1)
    assert ids(queries.inbox(screener, queries.InboxFilters())) == [calm.pk, danger.pk]


def test_filters_by_state_language_and_urgency(screener: User) -> None:
    ru_now = submit(language="ru", urgency="immediate").request
    ar_now = submit(language="ar", urgency="immediate").request
    ru_later = submit(language="ru", urgency="weeks").request
    spam = submit(language="ru", urgency="immediate").request
    screening.requests_mark_spam(requests=[spam], actor=screener)

    def found(**kwargs: str) -> set[object]:
        return set(ids(queries.inbox(screener, queries.InboxFilters(**kwargs))))

    assert found() == {ru_now.pk, ar_now.pk, ru_later.pk}
    assert found(language="ru") == {ru_now.pk, ru_later.pk}
    assert found(language="ru", urgency="immediate") == {ru_now.pk}
    assert found(state="decided") == {spam.pk}
    assert found(state="spam") == {spam.pk}
    assert found(state="new") == {ru_now.pk, ar_now.pk, ru_later.pk}
    assert queries.open_count(screener) == 3


@pytest.mark.parametrize("persona", ["caseworker", "admin", "auditor"])
def test_nobody_else_sees_any_request(request: pytest.FixtureRequest, persona: str) -> None:
    help_request = submit().request
    viewer = request.getfixturevalue(persona)
    assert not queries.inbox(viewer, queries.InboxFilters()).exists()
    assert queries.request_for(viewer, help_request.pk) is None
    assert queries.requests_by_ids(viewer, [str(help_request.pk)]) == []
    assert queries.open_count(viewer) == 0


def test_requests_by_id_for_a_screener(screener: User) -> None:
    help_request = submit().request
    assert queries.request_for(screener, help_request.pk) == help_request
    assert queries.request_for(screener, "not-a-uuid") is None
    assert queries.requests_by_ids(screener, [str(help_request.pk), "junk"]) == [help_request]


def test_attach_suggestions_match_handle_or_name_on_own_desks(
    screener: User, caseworker: User, colleague: User, desk_north: Desk, desk_south: Desk
) -> None:
    by_handle = opening.case_open(
        desk=desk_north,
        actor=caseworker,
        person=person("Someone Else"),
        channels=[channel(HANDLE, "telegram")],
    )
    by_name = opening.case_open(desk=desk_north, actor=caseworker, person=person("Ali Khanov"))
    elsewhere = opening.case_open(
        desk=desk_south,
        actor=colleague,
        person=person("Ali Khanov"),
        channels=[channel(HANDLE, "telegram")],
    )
    opening.case_open(desk=desk_north, actor=caseworker, person=person("Nobody Related"))

    found = queries.attach_suggestions(screener, {"contact_value": HANDLE, "name": "Ali Khanov"})
    assert set(ids(found)) == {by_handle.pk, by_name.pk}
    assert elsewhere.pk not in ids(found)
    assert queries.attach_suggestions(screener, {}) == []
    # One shared name part of two is not enough.
    assert queries.attach_suggestions(screener, {"name": "Ali Petrov"}) == []
