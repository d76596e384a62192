"""intake.queries.mailbox_messages: what the person sent through the mailboxes of a case's help
requests (messages and file names, not the story) and the staff replies, oldest first."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.cases.services import duplicates, opening
from passage.cases.services.people import PersonDetails
from passage.intake import payloads
from passage.intake.queries import mailbox_messages
from passage.intake.services import public as intake
from passage.intake.services import screening

pytestmark = pytest.mark.django_db

PICTURE = payloads.SealedFile(
    name="passport.png", kind="image", content_type="image/png", data=b"\x89PNG\r\n\x1a\n"
)


def test_messages_files_and_replies_of_the_case_only(
    screener: User, desk_north: Desk, memstore: None
) -> None:
    case = opening.case_open(desk=desk_north, actor=screener, person=PersonDetails("A"))
    other = opening.case_open(desk=desk_north, actor=screener, person=PersonDetails("B"))
    assert mailbox_messages(case) == []
    receipt = intake.request_submit(country="RU", urgency="days", language="ru")
    intake.story_submit(
        session=receipt.session, story=payloads.Story(happened="the story"), files=[]
    )
    intake.message_send(session=receipt.session, text="first message", files=[PICTURE])
    screening.request_attach(request=receipt.request, case=case, actor=screener)
    screening.request_reply(request=receipt.request, actor=screener, body="a reply")
    stray = intake.request_submit(country="RU", urgency="days", language="ru")
    intake.message_send(session=stray.session, text="another case's", files=[])
    screening.request_attach(request=stray.request, case=other, actor=screener)

    found = mailbox_messages(case)
    assert [(m.kind, m.text, m.incoming) for m in found] == [
        ("message", "first message", True),
        ("file", "passport.png", True),
        ("reply", "a reply", False),
    ]
    assert found[-1].author == screener
    assert all(m.readable for m in found)


def test_a_merged_case_brings_its_mailbox_along(
    caseworker: User, screener: User, desk_north: Desk, memstore: None
) -> None:
    keep = opening.case_open(desk=desk_north, actor=caseworker, person=PersonDetails("A"))
    gone = opening.case_open(desk=desk_north, actor=caseworker, person=PersonDetails("B"))
    receipt = intake.request_submit(country="RU", urgency="days", language="ru")
    intake.message_send(session=receipt.session, text="sent to the second case", files=[])
    screening.request_attach(request=receipt.request, case=gone, actor=screener)
    duplicates.cases_merge(survivor=keep, merged=gone, actor=caseworker)
    assert [m.text for m in mailbox_messages(keep)] == ["sent to the second case"]
