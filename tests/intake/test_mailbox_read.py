"""services.public.mailbox_read: what the person sees: a neutral status, the contact phrase,
and the replies of the last 30 days (opened with the codename's key), never older ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.intake import payloads
from passage.intake.exceptions import SignInRefused
from passage.intake.models import HelpRequest, Mailbox, StaffReply
from passage.intake.services import public, screening
from tests.intake.support import make_screener, png_bytes, sign_in, story, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def test_a_new_mailbox_shows_received_and_the_contact_phrase() -> None:
    receipt = submit(language="fr")
    view = public.mailbox_read(session=sign_in(receipt.codename))
    assert view.language == "fr"
    assert view.contact_phrase == receipt.contact_phrase
    assert view.status == HelpRequest.Status.RECEIVED
    assert view.status_label == str(HelpRequest.Status.RECEIVED.label)
    assert not view.story_received
    assert view.replies == []
    assert view.sent_count == 0


def test_replies_are_opened_with_the_codenames_key_newest_first(screener: User) -> None:
    receipt = submit()
    screening.request_reply(request=receipt.request, actor=screener, body="Первый ответ")
    second = screening.request_reply(
        request=receipt.request, actor=screener, body="Второй ответ", status="need_info"
    )
    StaffReply.objects.filter(pk=second.pk).update(sent_at=timezone.now() + dt.timedelta(hours=1))
    view = public.mailbox_read(session=sign_in(receipt.codename))
    assert [reply.body for reply in view.replies] == ["Второй ответ", "Первый ответ"]
    assert view.status == "need_info"


def test_replies_older_than_30_days_are_not_shown(screener: User) -> None:
    receipt = submit()
    old = screening.request_reply(request=receipt.request, actor=screener, body="old reply")
    screening.request_reply(request=receipt.request, actor=screener, body="recent reply")
    StaffReply.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - public.REPLY_WINDOW - dt.timedelta(minutes=1)
    )
    view = public.mailbox_read(session=sign_in(receipt.codename))
    assert [reply.body for reply in view.replies] == ["recent reply"]
    assert view.replies[0].sent_on == timezone.now().date()


def test_a_reply_whose_sealed_copy_was_dropped_is_not_shown(screener: User) -> None:
    receipt = submit()
    reply = screening.request_reply(request=receipt.request, actor=screener, body="gone")
    StaffReply.objects.filter(pk=reply.pk).update(for_person=None)
    assert public.mailbox_read(session=sign_in(receipt.codename)).replies == []


def test_what_the_person_sent_is_counted_not_shown() -> None:
    receipt = submit()
    upload = payloads.SealedFile(
        name="image.png", kind="image", content_type="image/png", data=png_bytes()
    )
    public.story_submit(session=receipt.session, story=story(), files=[upload])
    public.message_send(session=receipt.session, text="hello", files=[])
    view = public.mailbox_read(session=receipt.session)
    assert view.story_received
    assert view.sent_count == 2  # the story and the message; files are not counted


def test_another_mailboxs_replies_are_not_shown(screener: User) -> None:
    mine, other = submit(), submit()
    screening.request_reply(request=other.request, actor=screener, body="for the other one")
    assert public.mailbox_read(session=mine.session).replies == []


def test_a_deleted_mailbox_is_refused() -> None:
    receipt = submit()
    Mailbox.objects.filter(pk=receipt.session.mailbox_id).delete()
    with pytest.raises(SignInRefused):
        public.mailbox_read(session=receipt.session)
