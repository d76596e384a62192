"""POST /<lang>/story/: the second step from the receipt page (with a picture), and, when the
session ended meanwhile, the form back as typed with a codename field."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from passage.intake import payloads, sessions
from passage.intake.models import HelpRequest, RequestItem
from tests.intake.support import png_bytes
from tests.intake.views.support import (
    HAPPENED,
    STORY,
    browser,
    codename_in,
    first_step,
    story_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


def receipt(client: Client, lang: str = "en") -> tuple[str, str]:
    """Send the first step; returns the receipt page and the codename on it."""
    response = first_step(client, lang)
    assert response.status_code == 200
    content = response.content.decode()
    return content, codename_in(content)


def stories() -> list[dict[str, object]]:
    return [
        payloads.open_document(bytes(item.sealed))
        for item in RequestItem.objects.filter(kind="story")
    ]


def test_the_story_with_a_picture_is_sealed_and_leads_to_the_mailbox() -> None:
    client = browser()
    page, codename = receipt(client)
    picture = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post("/en/story/", story_data(page, files=[picture]))
    assert response.status_code == 302
    assert response["Location"] == "/en/mailbox/"
    for word in codename.split(" "):
        assert word not in response["Location"]
    [told] = stories()
    assert told["happened"] == HAPPENED
    assert told["situations"] == ["detained", "family"]
    assert told["people"] == 2
    [file_item] = RequestItem.objects.filter(kind="file")
    opened = payloads.open_document(bytes(file_item.sealed))
    assert opened["kind"] == "image" and opened["data"][:8] == b"\x89PNG\r\n\x1a\n"
    assert opened["name"] == "image.png"  # the person's file name is not kept
    assert HelpRequest.objects.get().story_received
    # The mailbox now opens with the same cookie.
    assert client.get("/en/mailbox/").status_code == 200


def test_without_a_csrf_token_the_story_is_refused() -> None:
    client = browser()
    receipt(client)
    response = client.post("/en/story/", STORY)
    assert response.status_code == 403
    assert not RequestItem.objects.exists()


def test_an_ended_session_brings_the_form_back_as_typed_with_a_codename_field() -> None:
    client = browser()
    page, codename = receipt(client)
    sessions.end(client.cookies[sessions.COOKIE].value)

    response = client.post("/en/story/", story_data(page))

    assert response.status_code == 400
    content = response.content.decode()
    assert 'name="codename"' in content
    # "Your session ended": a banner, not an error on a field the person never saw.
    assert 'class="banner banner--warning" role="alert"' in content
    assert 'id="id_codename_error"' not in content
    # What was typed is still there.
    assert HAPPENED in content
    assert 'value="@quiet_fox_1991"' in content
    assert re.search(r'value="detained"[^>]*checked', content)
    assert not RequestItem.objects.exists()

    again = client.post("/en/story/", story_data(content, codename=codename))
    assert again.status_code == 302
    assert again["Location"] == "/en/mailbox/"
    assert [s["happened"] for s in stories()] == [HAPPENED]
    # A fresh session was set with the answer.
    assert sessions.COOKIE in again.cookies


def test_no_cookie_at_all_is_treated_like_an_ended_session() -> None:
    client = browser()
    page, codename = receipt(client)
    del client.cookies[sessions.COOKIE]
    response = client.post("/en/story/", story_data(page))
    assert response.status_code == 400
    assert 'name="codename"' in response.content.decode()
    assert client.post("/en/story/", story_data(page, codename=codename)).status_code == 302


def test_a_wrong_codename_keeps_the_story_and_says_so() -> None:
    client = browser()
    page, _codename = receipt(client)
    sessions.end(client.cookies[sessions.COOKIE].value)
    response = client.post("/en/story/", story_data(page, codename="wrong words entirely here"))
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_codename_error"' in content
    assert HAPPENED in content
    assert not RequestItem.objects.exists()


def test_an_empty_story_answers_400() -> None:
    client = browser()
    page, _codename = receipt(client)
    empty = {"csrfmiddlewaretoken": story_data(page)["csrfmiddlewaretoken"], "happened": " "}
    response = client.post("/en/story/", empty)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not RequestItem.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused_and_the_story_kept() -> None:
    client = browser()
    page, _codename = receipt(client)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    response = client.post("/en/story/", story_data(page, files=[fake]))
    assert response.status_code == 400
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert HAPPENED in content
    assert not RequestItem.objects.exists()


def test_a_handle_without_a_messenger_choice_is_dropped_and_a_choice_needs_one() -> None:
    client = browser()
    page, _codename = receipt(client)
    response = client.post("/en/story/", story_data(page, contact_value=""))
    assert response.status_code == 400
    assert 'id="id_contact_value_error"' in response.content.decode()
    ok = client.post("/en/story/", story_data(page, contact_kind="", contact_value="@x"))
    assert ok.status_code == 302
    [told] = stories()
    assert (told["contact_kind"], told["contact_value"]) == ("", "")
