"""services.public.story_submit: the second step is sealed to the intake key like the first, with
its files, and marks the request as having a story."""

from __future__ import annotations

import pytest

from passage.crypto import sealed
from passage.intake import payloads
from passage.intake.exceptions import InvalidInput, SignInRefused
from passage.intake.models import HelpRequest, Mailbox, RequestItem
from passage.intake.services import public
from tests.intake.support import (
    FEARS_TEXT,
    HANDLE,
    STORY_TEXT,
    audit_entries,
    fresh,
    png_bytes,
    raw_value,
    story,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


def picture() -> payloads.SealedFile:
    return payloads.SealedFile(
        name="image.png", kind="image", content_type="image/png", data=png_bytes()
    )


def test_the_story_is_sealed_to_the_intake_key() -> None:
    receipt = submit()
    request = public.story_submit(session=receipt.session, story=story(), files=[])
    assert fresh(request).story_received
    [item] = RequestItem.objects.filter(request=request)
    assert (item.kind, item.position) == ("story", 1)
    assert item.intake_key_id == sealed.current_intake_key_id()
    assert item.received_at.minute == item.received_at.second == 0
    box = raw_value("intake_requestitem", "sealed", item.pk)
    for secret in (STORY_TEXT, FEARS_TEXT, HANDLE, "Chechnya"):
        assert secret.encode() not in box
    assert payloads.open_document(box) == {
        "v": 1,
        "type": "Story",
        "name": "Ali",
        "contact_kind": "telegram",
        "contact_value": HANDLE,
        "region": "Chechnya",
        "happened": STORY_TEXT,
        "fears": FEARS_TEXT,
        "situations": ["detained", "family"],
        "passport": "expired",
        "people": 2,
    }


def test_files_are_sealed_one_item_each_after_the_story() -> None:
    receipt = submit()
    data = png_bytes()
    public.story_submit(session=receipt.session, story=story(), files=[picture(), picture()])
    items = list(RequestItem.objects.filter(request=receipt.request))
    assert [(i.kind, i.position) for i in items] == [("story", 1), ("file", 2), ("file", 3)]
    box = raw_value("intake_requestitem", "sealed", items[1].pk)
    assert data not in box
    assert b"IHDR" not in box
    opened = payloads.open_document(box)
    assert opened["data"] == data
    assert (opened["type"], opened["name"], opened["kind"], opened["content_type"]) == (
        "File",
        "image.png",
        "image",
        "image/png",
    )


def test_the_story_is_audited_as_public_to_the_hour() -> None:
    receipt = submit()
    public.story_submit(session=receipt.session, story=story(), files=[])
    [entry] = audit_entries("request.story", receipt.request.pk)
    assert entry.actor == "public"
    assert entry.occurred_at.minute == entry.occurred_at.second == 0


@pytest.mark.parametrize(
    "told",
    [
        {"situations": ["sought"]},
        {"happened": "Something happened."},
        {"fears": "I am afraid."},
    ],
)
def test_a_ticked_box_or_a_few_words_are_enough(told: dict[str, object]) -> None:
    receipt = submit()
    empty = {"happened": "", "fears": "", "situations": []}
    public.story_submit(session=receipt.session, story=story(**{**empty, **told}), files=[])
    assert fresh(receipt.request).story_received


def test_a_file_alone_is_enough() -> None:
    receipt = submit()
    nothing = story(happened="", fears="", situations=[])
    public.story_submit(session=receipt.session, story=nothing, files=[picture()])
    assert RequestItem.objects.filter(request=receipt.request).count() == 2


def test_an_empty_story_is_refused_and_nothing_is_stored() -> None:
    receipt = submit()
    nothing = story(happened="  \n ", fears=" ", situations=[])
    with pytest.raises(InvalidInput, match="at least a little"):
        public.story_submit(session=receipt.session, story=nothing, files=[])
    assert not RequestItem.objects.exists()
    assert not fresh(receipt.request).story_received
    assert not audit_entries("request.story")


def test_sent_twice_both_are_kept_in_order() -> None:
    receipt = submit()
    public.story_submit(session=receipt.session, story=story(happened="first"), files=[])
    public.story_submit(session=receipt.session, story=story(happened="second"), files=[])
    texts = [
        payloads.open_document(bytes(item.sealed))["happened"]
        for item in RequestItem.objects.filter(request=receipt.request)
    ]
    assert texts == ["first", "second"]
    assert len(audit_entries("request.story", receipt.request.pk)) == 2


def test_a_session_whose_mailbox_is_gone_is_refused() -> None:
    receipt = submit()
    Mailbox.objects.filter(pk=receipt.session.mailbox_id).delete()
    with pytest.raises(SignInRefused):
        public.story_submit(session=receipt.session, story=story(), files=[])
    assert not RequestItem.objects.exists()
    assert HelpRequest.objects.filter(pk=receipt.request.pk).exists()


def test_the_story_goes_to_the_sessions_own_request() -> None:
    mine, other = submit(), submit()
    public.story_submit(session=mine.session, story=story(), files=[])
    assert RequestItem.objects.filter(request=mine.request).count() == 1
    assert not RequestItem.objects.filter(request=other.request).exists()
    assert not fresh(other.request).story_received
