"""POST /<lang>/request/: the first step works without a CSRF token, answers with the receipt
(codename in the reply language's words), and sets only the mailbox and CSRF cookies; the
codename is in no URL, header or cookie; an invalid first step answers 400 as typed."""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.conf import settings

from passage.core import memstore
from passage.intake import sessions
from passage.intake.models import HelpRequest
from passage.intake.words import wordlist
from tests.intake.views.support import browser, codename_in, cookie_names, first_step, headers_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


def test_the_first_step_gives_the_receipt_and_only_the_mailbox_cookie() -> None:
    client = browser()
    client.get("/en/")
    response = first_step(client, "en", language="ru")
    assert response.status_code == 200
    content = response.content.decode()
    codename = codename_in(content)
    words = codename.split(" ")
    assert len(words) == 6 and set(words) <= set(wordlist("ru"))
    assert all("CYRILLIC" in unicodedata.name(ch) for ch in codename.replace(" ", ""))
    assert '<p class="codename" lang="ru">' in content
    # The page itself stays in the page's language.
    assert re.search(r'<html[^>]*lang="en"', content)

    assert cookie_names(response) == {sessions.COOKIE, settings.CSRF_COOKIE_NAME}
    mailbox_cookie = response.cookies[sessions.COOKIE]
    assert mailbox_cookie["httponly"] and mailbox_cookie["samesite"] == "Strict"
    assert mailbox_cookie["max-age"] == "" and mailbox_cookie["expires"] == ""
    assert memstore.call("exists", sessions._store_key(mailbox_cookie.value)) == 1

    request = HelpRequest.objects.get()
    assert (request.urgency, request.reply_language) == ("immediate", "ru")
    # The receipt offers the second step (with a CSRF token, now that the person submitted).
    assert 'action="/en/story/"' in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_the_codename_is_in_no_header_cookie_or_url() -> None:
    client = browser()
    response = first_step(client, "fr")
    codename = codename_in(response.content.decode())
    text = headers_text(response)
    for word in codename.split(" "):
        assert word not in text
    assert all(codename not in morsel.value for morsel in client.cookies.values())
    # The links the receipt offers do not carry it either.
    for href in re.findall(r'(?:href|action)="([^"]*)"', response.content.decode()):
        assert codename.split(" ")[0] not in href


def test_the_codename_opens_the_mailbox_it_was_issued_for() -> None:
    codename = codename_in(first_step(browser(), "en").content.decode())
    other = browser()
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', other.get("/en/mailbox/").content.decode()
    )
    assert token
    response = other.post(
        "/en/mailbox/", {"csrfmiddlewaretoken": token.group(1), "codename": codename}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/mailbox/"


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        ({"country": ""}, ['value="immediate"', 'value="ru"']),
        ({"urgency": "whenever"}, ['value="RU"', 'value="ru"']),
        ({"language": "de"}, ['value="RU"', 'value="immediate"']),
    ],
)
def test_an_invalid_first_step_answers_400_and_keeps_the_choices(
    data: dict[str, str], kept: list[str]
) -> None:
    client = browser()
    values = {"country": "RU", "urgency": "immediate", "language": "ru", **data}
    response = client.post("/en/request/", values)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'class="error-summary"' in content
    for value in kept:
        # The chosen option is still chosen (selected or checked).
        assert re.search(rf"{re.escape(value)}[^>]*(selected|checked)", content), value
    assert not HelpRequest.objects.exists()
    assert cookie_names(response) == set()
    assert 'class="codename"' not in content


def test_the_first_step_in_an_rtl_page() -> None:
    response = first_step(browser(), "ar")
    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r'<html[^>]*dir="rtl"', content)
    assert set(codename_in(content).split(" ")) <= set(wordlist("ar"))


def test_the_request_url_takes_only_posts() -> None:
    assert browser().get("/en/request/").status_code == 405


def test_the_receipt_offers_the_second_step_in_each_pages_own_language() -> None:
    # The empty second-step fields are rendered once per language and reused: a page must
    # never get another language's copy, whichever language was served first.
    from django.utils import translation

    from passage.intake.forms.public import StoryForm

    pages = {lang: first_step(browser(), lang).content.decode() for lang in ("ru", "ar", "en")}
    for lang, content in pages.items():
        with translation.override(lang):
            label = str(StoryForm.base_fields["happened"].label)
        assert f">{label}" in content, lang
        assert 'name="happened"' in content and 'name="files"' in content
    assert str(StoryForm.base_fields["happened"].label) not in pages["ru"]


def test_the_country_list_and_its_placeholder_follow_the_page_language() -> None:
    # The country choices are built once per language, placeholder included.
    from django.utils import translation

    from passage.cases.choices import countries_in

    for lang in ("fa", "en", "ru"):
        content = browser().get(f"/{lang}/").content.decode()
        with translation.override(lang):
            placeholder = translation.gettext("Choose a country")
        assert f'<option value="" selected>{placeholder}</option>' in content, lang
        russia = dict(countries_in(lang))["RU"]
        assert f'<option value="RU">{russia}</option>' in content, lang
