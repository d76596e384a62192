"""services.screening.request_reply: a reply is sealed to the mailbox (only the codename opens
it) and kept for staff encrypted under the request's data key."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.crypto import codename as codenames
from passage.intake.exceptions import ActionRefused, InvalidInput
from passage.intake.models import HelpRequest, StaffReply
from passage.intake.services import screening
from tests.intake.support import audit_entries, fresh, make_screener, raw_value, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

BODY = "Мы получили ваше сообщение и читаем его."  # noqa: RUF001


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def test_the_reply_is_sealed_to_the_mailbox_and_encrypted_for_staff(screener: User) -> None:
    receipt = submit()
    reply = screening.request_reply(
        request=receipt.request, actor=screener, body=BODY, template="received"
    )
    stored = StaffReply.objects.get(pk=reply.pk)
    assert (stored.author, stored.template, stored.body) == (screener, "received", BODY)

    sealed_copy = raw_value("intake_staffreply", "for_person", reply.pk)
    assert BODY.encode() not in sealed_copy
    private = codenames.derive_private_key(receipt.codename)
    assert codenames.open_with(private, sealed_copy).decode() == BODY
    stranger = codenames.derive_private_key(submit().codename)
    with pytest.raises(Exception, match="another key"):
        codenames.open_with(stranger, sealed_copy)

    staff_copy = raw_value("intake_staffreply", "body", reply.pk)
    assert isinstance(staff_copy, bytes)
    assert BODY.encode() not in staff_copy
    assert staff_copy != sealed_copy


def test_a_reply_moves_the_request_on_and_may_set_the_status(screener: User) -> None:
    receipt = submit()
    screening.request_reply(request=receipt.request, actor=screener, body="Hello")
    request = fresh(receipt.request)
    assert (request.state, request.status) == ("replied", "received")
    screening.request_reply(request=request, actor=screener, body="More?", status="need_info")
    assert fresh(request).status == "need_info"
    entries = audit_entries("request.reply", receipt.request.pk)
    assert [e.actor for e in entries] == [f"user:{screener.pk}"] * 2


def test_a_reply_after_a_case_was_opened_keeps_the_state(screener: User, desk_north: Desk) -> None:
    receipt = submit()
    screening.request_open_case(request=receipt.request, actor=screener, desk=desk_north)
    screening.request_reply(request=receipt.request, actor=screener, body="Hello again")
    assert fresh(receipt.request).state == HelpRequest.State.CASE_OPENED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": "  \n"}, "Write a reply"),
        ({"body": "x" * (screening.MAX_REPLY_CHARS + 1)}, "too long"),
        ({"body": "ok", "status": "happy"}, "Unknown status"),
    ],
)
def test_bad_replies_are_refused(screener: User, kwargs: dict[str, str], message: str) -> None:
    receipt = submit()
    with pytest.raises(InvalidInput, match=message):
        screening.request_reply(request=receipt.request, actor=screener, **kwargs)
    assert not StaffReply.objects.exists()
    assert fresh(receipt.request).state == HelpRequest.State.NEW


def test_nobody_replies_to_spam(screener: User) -> None:
    receipt = submit()
    screening.requests_mark_spam(requests=[receipt.request], actor=screener, hostile=True)
    with pytest.raises(ActionRefused, match="spam or hostile"):
        screening.request_reply(request=receipt.request, actor=screener, body="Hello")
    assert not StaffReply.objects.exists()


def test_only_screeners_may_reply(caseworker: User) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused, match="Only screeners"):
        screening.request_reply(request=receipt.request, actor=caseworker, body="Hello")
    assert not StaffReply.objects.exists()
    assert not audit_entries("request.reply")
