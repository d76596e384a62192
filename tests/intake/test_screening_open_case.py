"""services.screening.request_open_case: a case is opened through the cases services with the
request's narrative, channel and factors (re-encrypted under the case's key)."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.intake.exceptions import ActionRefused
from passage.intake.models import HelpRequest
from passage.intake.services import public, screening
from tests.cases.helpers import case_key_ids
from tests.intake.support import (
    FEARS_TEXT,
    HANDLE,
    STORY_TEXT,
    audit_entries,
    fresh,
    make_screener,
    raw_value,
    story,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def test_the_case_carries_what_the_person_told(screener: User, desk_north: Desk) -> None:
    receipt = submit(language="ru", country="RU", urgency="days")
    public.story_submit(session=receipt.session, story=story(), files=[])
    public.message_send(session=receipt.session, text="They called my mother.", files=[])

    case = screening.request_open_case(request=receipt.request, actor=screener, desk=desk_north)

    stored = Case.objects.get(pk=case.pk)
    assert (stored.desk, stored.source) == (desk_north, Case.Source.INTAKE)
    assert (stored.country, stored.region, stored.household_size) == ("RU", "Chechnya", 2)
    assert (stored.urgency, stored.reply_language) == ("days", "ru")
    assert STORY_TEXT in stored.narrative
    assert FEARS_TEXT in stored.narrative
    assert "They called my mother." in stored.narrative
    assert set(stored.triage_factors) == {
        "detained_or_tortured",
        "outed_or_family_threat",
        "no_valid_passport",
    }
    principal = stored.people.get()
    assert principal.chosen_name == "Ali"
    [channel] = principal.channels.all()
    assert (channel.kind, channel.value) == ("telegram", HANDLE)
    # Re-encrypted under the case's own data key.
    narrative = raw_value("cases_case", "narrative", case.pk)
    assert isinstance(narrative, bytes) and STORY_TEXT.encode() not in narrative
    assert len(case_key_ids(stored)) == 1

    request = fresh(receipt.request)
    assert (request.state, request.status, request.case) == ("case_opened", "working", stored)
    assert request.decided_by == screener and request.decided_at is not None
    [entry] = audit_entries("request.open_case", receipt.request.pk)
    assert entry.actor == f"user:{screener.pk}"
    assert audit_entries("case.opened", case.pk)


def test_only_the_mailbox_channel_and_no_story_still_opens_a_case(
    screener: User, desk_north: Desk
) -> None:
    receipt = submit(urgency="immediate")
    case = screening.request_open_case(request=receipt.request, actor=screener, desk=desk_north)
    stored = Case.objects.get(pk=case.pk)
    assert stored.household_size == 1
    assert not stored.people.get().channels.exists()
    assert "immediate_danger" in stored.triage_factors


def test_a_request_already_dealt_with_opens_no_second_case(
    screener: User, desk_north: Desk
) -> None:
    receipt = submit()
    screening.request_open_case(request=receipt.request, actor=screener, desk=desk_north)
    with pytest.raises(ActionRefused, match="already dealt with"):
        screening.request_open_case(request=receipt.request, actor=screener, desk=desk_north)
    assert Case.objects.count() == 1


def test_a_case_only_on_the_screeners_own_desks(screener: User, desk_south: Desk) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused, match="own desks"):
        screening.request_open_case(request=receipt.request, actor=screener, desk=desk_south)
    assert not Case.objects.exists()
    assert fresh(receipt.request).state == HelpRequest.State.NEW
    assert not audit_entries("request.open_case")


def test_only_screeners_may_open_a_case_from_a_request(caseworker: User, desk_north: Desk) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused, match="Only screeners"):
        screening.request_open_case(request=receipt.request, actor=caseworker, desk=desk_north)
    assert not Case.objects.exists()
