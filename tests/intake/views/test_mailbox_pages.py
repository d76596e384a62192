"""The mailbox pages: sign in with the codename, read a staff reply, send a message, sign out
and forget, delete the mailbox. The codename is posted, never put in a URL or a cookie."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from passage.accounts.models import Desk, User
from passage.core import memstore
from passage.intake import payloads, sessions
from passage.intake.models import HelpRequest, Mailbox, RequestItem, StaffReply
from passage.intake.services import screening
from tests.intake.support import make_screener, png_bytes
from tests.intake.views.support import (
    browser,
    codename_in,
    cookie_names,
    first_step,
    headers_text,
    token_in,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

MAILBOX = "/en/mailbox/"
REPLY = "Мы прочитали ваш запрос. Напишите, пожалуйста, где вы сейчас находитесь примерно."


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def issued(lang: str = "en") -> str:
    """A codename from the first step, sent from another browser (then closed)."""
    response = first_step(browser(), lang)
    assert response.status_code == 200
    return codename_in(response.content.decode())


def sign_in(client: Client, codename: str, lang: str = "en") -> TestResponse:
    path = f"/{lang}/mailbox/"
    token = token_in(client.get(path).content.decode())
    return client.post(path, {"csrfmiddlewaretoken": token, "codename": codename})


def signed_in(codename: str) -> Client:
    client = browser()
    response = sign_in(client, codename)
    assert response.status_code == 302
    return client


def test_signing_in_shows_the_contact_phrase_and_a_staff_reply(screener: User) -> None:
    codename = issued()
    request = HelpRequest.objects.get()
    screening.request_reply(request=request, actor=screener, body=REPLY, status="need_info")

    client = browser()
    page = client.get(MAILBOX)
    assert page.status_code == 200
    assert 'name="codename"' in page.content.decode()
    response = sign_in(client, codename)
    assert response.status_code == 302
    assert response["Location"] == MAILBOX
    assert cookie_names(response) >= {sessions.COOKIE}
    text = headers_text(response)
    for word in codename.split(" "):
        assert word not in text

    content = client.get(MAILBOX).content.decode()
    assert REPLY in content
    phrase = screening.request_read(request=request, actor=screener).first["contact_phrase"]
    assert f'<strong class="contact-phrase">{phrase}</strong>' in content
    assert f"<dd>{HelpRequest.Status.NEED_INFO.label}</dd>" in content


def test_an_old_reply_is_not_shown(screener: User) -> None:
    codename = issued()
    request = HelpRequest.objects.get()
    reply = screening.request_reply(request=request, actor=screener, body="An old reply.")
    StaffReply.objects.filter(pk=reply.pk).update(sent_at=timezone.now() - dt.timedelta(days=31))
    content = signed_in(codename).get(MAILBOX).content.decode()
    assert "An old reply." not in content
    assert 'class="reply"' not in content


def test_a_wrong_codename_answers_400() -> None:
    issued()
    client = browser()
    response = sign_in(client, "not the right words at all")
    assert response.status_code == 400
    assert 'id="id_codename_error"' in response.content.decode()
    assert sessions.COOKIE not in client.cookies


def test_too_many_wrong_codenames_answer_429_with_retry_after(settings: Settings) -> None:
    settings.PASSAGE_MAILBOX_FAILURES_PER_MINUTE = 2
    codename = issued()
    client = browser()
    for _ in range(2):
        assert sign_in(client, "wrong words").status_code == 400
    response = sign_in(client, codename)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert sessions.COOKIE not in client.cookies


def test_signing_in_without_a_csrf_token_is_refused() -> None:
    codename = issued()
    client = browser()
    assert client.post(MAILBOX, {"codename": codename}).status_code == 403


def test_a_message_is_sent_sealed(screener: User) -> None:
    client = signed_in(issued())
    token = token_in(client.get(MAILBOX).content.decode())
    picture = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    response = client.post(
        "/en/mailbox/message/",
        {"csrfmiddlewaretoken": token, "text": "Я в безопасности пока.", "files": [picture]},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/mailbox/?sent=1"
    items = list(RequestItem.objects.all())
    assert [i.kind for i in items] == ["message", "file"]
    assert payloads.open_document(bytes(items[0].sealed))["text"] == "Я в безопасности пока."
    after = client.get(response["Location"]).content.decode()
    assert 'class="banner banner--success"' in after


def test_an_empty_message_answers_400() -> None:
    client = signed_in(issued())
    token = token_in(client.get(MAILBOX).content.decode())
    response = client.post("/en/mailbox/message/", {"csrfmiddlewaretoken": token, "text": " "})
    assert response.status_code == 400
    assert 'id="id_text_error"' in response.content.decode()
    assert not RequestItem.objects.exists()


def test_a_message_after_the_session_ended_asks_to_sign_in_again() -> None:
    client = signed_in(issued())
    token = token_in(client.get(MAILBOX).content.decode())
    sessions.end(client.cookies[sessions.COOKIE].value)
    response = client.post("/en/mailbox/message/", {"csrfmiddlewaretoken": token, "text": "hi"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'name="codename"' in content
    assert 'class="banner banner--warning" role="alert"' in content
    assert not RequestItem.objects.exists()


def test_sign_out_clears_the_cookie_and_the_session() -> None:
    client = signed_in(issued())
    token_value = client.cookies[sessions.COOKIE].value
    page = client.get(MAILBOX).content.decode()
    assert memstore.call("exists", sessions._store_key(token_value)) == 1
    response = client.post("/en/mailbox/sign-out/", {"csrfmiddlewaretoken": token_in(page)})
    assert response.status_code == 200
    cleared = response.cookies[sessions.COOKIE]
    assert cleared.value == "" and cleared["max-age"] == 0
    assert memstore.call("exists", sessions._store_key(token_value)) == 0
    # The old cookie, replayed, opens nothing.
    replay = browser()
    replay.cookies[sessions.COOKIE] = token_value
    assert 'name="codename"' in replay.get(MAILBOX).content.decode()


def test_the_mailbox_is_deleted_after_a_confirmation(screener: User) -> None:
    codename = issued()
    request = HelpRequest.objects.get()
    reply = screening.request_reply(request=request, actor=screener, body="Hello")
    client = signed_in(codename)
    token_value = client.cookies[sessions.COOKIE].value

    confirm = client.get("/en/mailbox/delete/")
    assert confirm.status_code == 200
    assert Mailbox.objects.exists()
    response = client.post(
        "/en/mailbox/delete/", {"csrfmiddlewaretoken": token_in(confirm.content.decode())}
    )
    assert response.status_code == 200
    assert response.cookies[sessions.COOKIE]["max-age"] == 0
    assert not Mailbox.objects.exists()
    assert StaffReply.objects.get(pk=reply.pk).for_person is None
    assert HelpRequest.objects.get(pk=request.pk).mailbox is None
    assert memstore.call("exists", sessions._store_key(token_value)) == 0
    assert sign_in(browser(), codename).status_code == 400


def test_delete_without_a_session_goes_to_sign_in() -> None:
    issued()
    response = browser().get("/en/mailbox/delete/")
    assert response.status_code == 302
    assert response["Location"] == MAILBOX
    assert Mailbox.objects.exists()


def test_a_mailbox_deleted_elsewhere_signs_the_browser_out() -> None:
    client = signed_in(issued())
    Mailbox.objects.all().delete()
    response = client.get(MAILBOX)
    assert response.status_code == 302
    assert response.cookies[sessions.COOKIE]["max-age"] == 0


def test_a_message_written_past_the_session_is_kept_and_sent_with_the_codename() -> None:
    codename = issued()
    client = signed_in(codename)
    token = token_in(client.get(MAILBOX).content.decode())
    # The session ends while the person writes (idle timeout, or the store was emptied).
    for name in memstore.client().scan_iter(match=memstore.key("mailbox-session", "*")):
        memstore.client().delete(name)
    typed = "Мне нужно срочно уехать отсюда."
    refused = client.post("/en/mailbox/message/", {"csrfmiddlewaretoken": token, "text": typed})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert typed in page  # kept as typed
    assert 'name="codename"' in page
    assert not RequestItem.objects.filter(kind=RequestItem.Kind.MESSAGE).exists()

    sent = client.post(
        "/en/mailbox/message/",
        {"csrfmiddlewaretoken": token_in(page), "text": typed, "codename": codename},
    )
    assert sent.status_code == 302
    assert sessions.COOKIE in sent.cookies
    message = RequestItem.objects.get(kind=RequestItem.Kind.MESSAGE)
    assert payloads.open_document(bytes(message.sealed))["text"] == typed


def test_a_wrong_codename_with_a_kept_message_sends_nothing() -> None:
    codename = issued()
    client = signed_in(codename)
    token = token_in(client.get(MAILBOX).content.decode())
    for name in memstore.client().scan_iter(match=memstore.key("mailbox-session", "*")):
        memstore.client().delete(name)
    response = client.post(
        "/en/mailbox/message/",
        {"csrfmiddlewaretoken": token, "text": "hello", "codename": "wrong words entirely"},
    )
    assert response.status_code == 400
    assert "hello" in response.content.decode()
    assert not RequestItem.objects.filter(kind=RequestItem.Kind.MESSAGE).exists()
