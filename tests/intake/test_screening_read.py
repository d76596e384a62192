"""services.screening.request_read: a screener opens a sealed request (first step, story,
messages, file summaries); the read is audited and a new request becomes "read"."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.intake import payloads
from passage.intake.exceptions import ActionRefused
from passage.intake.models import HelpRequest
from passage.intake.services import public, screening
from tests.intake.support import (
    HANDLE,
    STORY_TEXT,
    audit_entries,
    fresh,
    make_screener,
    png_bytes,
    story,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def test_reading_opens_everything_marks_it_read_and_is_audited(screener: User) -> None:
    receipt = submit(country="RU")
    data = png_bytes()
    upload = payloads.SealedFile(
        name="image.png", kind="image", content_type="image/png", data=data
    )
    public.story_submit(session=receipt.session, story=story(), files=[upload])
    public.message_send(session=receipt.session, text="one more thing", files=[])

    opened = screening.request_read(request=receipt.request, actor=screener)

    assert opened.first["country"] == "RU"
    assert opened.first["contact_phrase"] == receipt.contact_phrase
    assert [item.kind for item in opened.items] == ["story", "file", "message"]
    assert opened.latest_story["happened"] == STORY_TEXT
    assert opened.latest_story["contact_value"] == HANDLE
    summary = opened.items[1].content
    assert "data" not in summary
    assert (summary["name"], summary["kind"], summary["size"]) == ("image.png", "image", len(data))
    assert opened.items[2].content["text"] == "one more thing"
    assert fresh(receipt.request).state == HelpRequest.State.READ
    [entry] = audit_entries("request.read", receipt.request.pk)
    assert (entry.actor, entry.object_type) == (f"user:{screener.pk}", "request")


def test_each_read_is_audited_and_a_later_state_is_kept(screener: User) -> None:
    receipt = submit()
    screening.request_reply(request=receipt.request, actor=screener, body="Hello")
    screening.request_read(request=receipt.request, actor=screener)
    screening.request_read(request=receipt.request, actor=screener)
    assert fresh(receipt.request).state == HelpRequest.State.REPLIED
    assert len(audit_entries("request.read", receipt.request.pk)) == 2


def test_replies_come_with_the_opened_request(screener: User) -> None:
    receipt = submit()
    screening.request_reply(request=receipt.request, actor=screener, body="First reply")
    opened = screening.request_read(request=receipt.request, actor=screener)
    assert [reply.body for reply in opened.replies] == ["First reply"]


def test_a_request_with_only_the_first_step_has_no_story(screener: User) -> None:
    opened = screening.request_read(request=submit().request, actor=screener)
    assert opened.items == [] and opened.latest_story == {} and opened.stories == []


@pytest.mark.parametrize("persona", ["caseworker", "admin", "auditor", "partner_user"])
def test_only_screeners_may_read(request: pytest.FixtureRequest, persona: str) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused, match="Only screeners"):
        screening.request_read(request=receipt.request, actor=request.getfixturevalue(persona))
    assert fresh(receipt.request).state == HelpRequest.State.NEW
    assert not audit_entries("request.read")
