"""services.public.mailbox_delete: the codename opens nothing any more and what was sealed to it
is gone; staff keep the request and their own copy of the replies."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk
from passage.core import memstore
from passage.intake import sessions
from passage.intake.exceptions import ActionRefused, SignInRefused
from passage.intake.models import HelpRequest, Mailbox, StaffReply
from passage.intake.services import public, screening
from tests.intake.support import audit_entries, fresh, make_screener, sign_in, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


def test_after_deletion_the_codename_opens_nothing(desk_north: Desk) -> None:
    receipt = submit()
    screener = make_screener(desk_north)
    reply = screening.request_reply(request=receipt.request, actor=screener, body="We read it.")
    mailbox_id = receipt.session.mailbox_id
    session = sign_in(receipt.codename)

    public.mailbox_delete(session=session)

    assert not Mailbox.objects.filter(pk=mailbox_id).exists()
    with pytest.raises(SignInRefused):
        sign_in(receipt.codename)
    # The sealed copies for the person are gone; the staff copy stays.
    stored = StaffReply.objects.get(pk=reply.pk)
    assert stored.for_person is None
    assert stored.body == "We read it."
    # The request stays for staff, without its mailbox.
    request = fresh(receipt.request)
    assert request.mailbox is None
    assert request.state == HelpRequest.State.REPLIED
    # The session is gone from the memory store.
    assert memstore.call("exists", sessions._store_key(session.token)) == 0
    [entry] = audit_entries("mailbox.delete", mailbox_id)
    assert (entry.actor, entry.object_type) == ("public", "mailbox")
    assert entry.occurred_at.minute == entry.occurred_at.second == 0
    # A reply can no longer reach the person.
    with pytest.raises(ActionRefused, match="deleted their mailbox"):
        screening.request_reply(request=request, actor=screener, body="Still there?")


def test_only_the_sessions_mailbox_is_deleted(desk_north: Desk) -> None:
    mine, other = submit(), submit()
    screener = make_screener(desk_north)
    theirs = screening.request_reply(request=other.request, actor=screener, body="for them")
    public.mailbox_delete(session=mine.session)
    assert Mailbox.objects.filter(pk=other.session.mailbox_id).exists()
    assert StaffReply.objects.get(pk=theirs.pk).for_person is not None
    assert sign_in(other.codename).mailbox_id == other.request.mailbox_id


def test_deleting_twice_is_harmless() -> None:
    receipt = submit()
    public.mailbox_delete(session=receipt.session)
    public.mailbox_delete(session=receipt.session)
    assert len(audit_entries("mailbox.delete")) == 1
    assert HelpRequest.objects.filter(pk=receipt.request.pk).exists()
