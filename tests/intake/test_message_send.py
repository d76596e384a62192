"""services.public.message_send: a message (and files) from the person, sealed to the intake key;
an answered request comes back up in the screener's list."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk
from passage.intake import payloads
from passage.intake.exceptions import InvalidInput, SignInRefused
from passage.intake.models import HelpRequest, Mailbox, RequestItem
from passage.intake.services import public, screening
from tests.intake.support import (
    audit_entries,
    fresh,
    make_screener,
    png_bytes,
    raw_value,
    story,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

TEXT = "Они снова приходили вчера. Я у подруги."  # noqa: RUF001


def test_the_message_is_sealed_and_audited() -> None:
    receipt = submit()
    public.message_send(session=receipt.session, text=TEXT, files=[])
    [item] = RequestItem.objects.filter(request=receipt.request)
    assert (item.kind, item.position) == ("message", 1)
    box = raw_value("intake_requestitem", "sealed", item.pk)
    assert TEXT.encode() not in box
    assert payloads.open_document(box) == {"v": 1, "type": "Message", "text": TEXT}
    [entry] = audit_entries("mailbox.message", receipt.request.pk)
    assert entry.actor == "public"
    assert entry.occurred_at.minute == entry.occurred_at.second == 0


def test_messages_follow_the_story_in_order_with_their_files() -> None:
    receipt = submit()
    public.story_submit(session=receipt.session, story=story(), files=[])
    upload = payloads.SealedFile(
        name="image.png", kind="image", content_type="image/png", data=png_bytes()
    )
    public.message_send(session=receipt.session, text="", files=[upload])
    public.message_send(session=receipt.session, text="again", files=[])
    kinds = list(
        RequestItem.objects.filter(request=receipt.request).values_list("kind", "position")
    )
    assert kinds == [("story", 1), ("message", 2), ("file", 3), ("message", 4)]


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_an_empty_message_without_files_is_refused(text: str) -> None:
    receipt = submit()
    with pytest.raises(InvalidInput, match="Write a message"):
        public.message_send(session=receipt.session, text=text, files=[])
    assert not RequestItem.objects.exists()


def test_a_too_long_message_is_refused() -> None:
    receipt = submit()
    with pytest.raises(InvalidInput, match="too long"):
        public.message_send(
            session=receipt.session, text="x" * (public.MAX_MESSAGE_CHARS + 1), files=[]
        )
    public.message_send(session=receipt.session, text="x" * public.MAX_MESSAGE_CHARS, files=[])
    assert RequestItem.objects.count() == 1


def test_an_answer_to_a_reply_puts_the_request_back_to_read(desk_north: Desk) -> None:
    receipt = submit()
    screener = make_screener(desk_north)
    screening.request_reply(request=receipt.request, actor=screener, body="Tell us more.")
    assert fresh(receipt.request).state == HelpRequest.State.REPLIED
    public.message_send(session=receipt.session, text=TEXT, files=[])
    assert fresh(receipt.request).state == HelpRequest.State.READ


def test_a_new_request_stays_new() -> None:
    receipt = submit()
    public.message_send(session=receipt.session, text=TEXT, files=[])
    assert fresh(receipt.request).state == HelpRequest.State.NEW


def test_a_deleted_mailbox_sends_nothing() -> None:
    receipt = submit()
    Mailbox.objects.filter(pk=receipt.session.mailbox_id).delete()
    with pytest.raises(SignInRefused):
        public.message_send(session=receipt.session, text=TEXT, files=[])
    assert not RequestItem.objects.exists()
