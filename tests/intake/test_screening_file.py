"""services.screening.request_file: one file the person sent, opened for download and audited."""

from __future__ import annotations

import uuid

import pytest

from passage.accounts.models import Desk, User
from passage.intake import payloads
from passage.intake.exceptions import ActionRefused
from passage.intake.models import RequestItem
from passage.intake.services import public, screening
from tests.intake.support import audit_entries, make_screener, png_bytes, story, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def _with_file() -> tuple[public.Receipt, bytes]:
    receipt = submit()
    data = png_bytes((5, 7))
    upload = payloads.SealedFile(
        name="image.png", kind="image", content_type="image/png", data=data
    )
    public.story_submit(session=receipt.session, story=story(), files=[upload])
    return receipt, data


def test_the_file_is_opened_and_the_download_audited(screener: User) -> None:
    receipt, data = _with_file()
    item = RequestItem.objects.get(request=receipt.request, kind="file")
    opened = screening.request_file(request=receipt.request, item_id=item.pk, actor=screener)
    assert (opened.name, opened.kind, opened.content_type, opened.data) == (
        "image.png",
        "image",
        "image/png",
        data,
    )
    [entry] = audit_entries("request.file_open", receipt.request.pk)
    assert entry.actor == f"user:{screener.pk}"


def test_not_a_file_of_this_request_is_refused(screener: User) -> None:
    receipt, _data = _with_file()
    other = submit()
    the_story = RequestItem.objects.get(request=receipt.request, kind="story")
    the_file = RequestItem.objects.get(request=receipt.request, kind="file")
    for request, item_id in (
        (receipt.request, the_story.pk),
        (other.request, the_file.pk),
        (receipt.request, uuid.uuid4()),
    ):
        with pytest.raises(ActionRefused, match="No such file"):
            screening.request_file(request=request, item_id=item_id, actor=screener)
    assert not audit_entries("request.file_open")


def test_only_screeners_may_download(caseworker: User) -> None:
    receipt, _data = _with_file()
    item = RequestItem.objects.get(request=receipt.request, kind="file")
    with pytest.raises(ActionRefused, match="Only screeners"):
        screening.request_file(request=receipt.request, item_id=item.pk, actor=caseworker)
    assert not audit_entries("request.file_open")
