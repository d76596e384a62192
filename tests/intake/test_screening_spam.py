"""services.screening.requests_mark_spam: floods of fake requests, marked in one action: only
open requests change, one audit entry each."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.intake.exceptions import ActionRefused
from passage.intake.models import HelpRequest
from passage.intake.services import screening
from tests.intake.support import audit_entries, fresh, make_screener, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def test_only_open_requests_are_marked_one_audit_entry_each(
    screener: User, desk_north: Desk
) -> None:
    new, read, replied, opened = (submit().request for _ in range(4))
    screening.request_read(request=read, actor=screener)
    screening.request_reply(request=replied, actor=screener, body="Hello")
    screening.request_open_case(request=opened, actor=screener, desk=desk_north)
    untouched = submit().request

    count = screening.requests_mark_spam(
        requests=HelpRequest.objects.exclude(pk=untouched.pk), actor=screener
    )

    assert count == 3
    assert [fresh(r).state for r in (new, read, replied)] == ["spam"] * 3
    assert fresh(opened).state == HelpRequest.State.CASE_OPENED
    assert fresh(untouched).state == HelpRequest.State.NEW
    entries = audit_entries("request.spam")
    assert sorted(e.object_id for e in entries) == sorted(str(r.pk) for r in (new, read, replied))
    assert {e.actor for e in entries} == {f"user:{screener.pk}"}
    assert all(fresh(r).decided_by == screener for r in (new, read, replied))


def test_hostile_is_its_own_state_and_action(screener: User) -> None:
    request = submit().request
    assert screening.requests_mark_spam(requests=[request], actor=screener, hostile=True) == 1
    assert fresh(request).state == HelpRequest.State.HOSTILE
    assert len(audit_entries("request.hostile", request.pk)) == 1
    assert not audit_entries("request.spam")


def test_marking_again_changes_nothing(screener: User) -> None:
    request = submit().request
    screening.requests_mark_spam(requests=[request], actor=screener)
    assert screening.requests_mark_spam(requests=[request], actor=screener, hostile=True) == 0
    assert fresh(request).state == HelpRequest.State.SPAM
    assert len(audit_entries("request.spam")) == 1


def test_only_screeners_may_mark(caseworker: User) -> None:
    request = submit().request
    with pytest.raises(ActionRefused, match="Only screeners"):
        screening.requests_mark_spam(requests=[request], actor=caseworker)
    assert fresh(request).state == HelpRequest.State.NEW
