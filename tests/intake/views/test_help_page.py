"""The help page at / and /<lang>/: no cookie at all before the person submits, the language
from the URL or Accept-Language, the reading direction, the proxy warning, 404 for unknown
languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from pytest_django import Settings

from tests.intake.views.support import browser, cookie_names

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

FORM = 'action="/{lang}/request/"'


def html_tag(content: str) -> str:
    found = re.search(r"<html[^>]*>", content)
    assert found
    return found.group(0)


@pytest.mark.parametrize("path", ["/", "/en/", "/ru/", "/ar/", "/fa/", "/fr/", "/es/"])
def test_the_help_page_sets_no_cookie_at_all(path: str) -> None:
    client = browser()
    response = client.get(path)
    assert response.status_code == 200
    assert cookie_names(response) == set()
    assert "Set-Cookie" not in response.headers
    assert not client.cookies
    content = response.content.decode()
    # The first step's form has no CSRF token (the view is exempt): no cookie is needed to send it.
    assert "csrfmiddlewaretoken" not in content
    assert 'method="post"' in content


@pytest.mark.parametrize(
    ("accept", "lang", "direction"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.5", "ru", "ltr"),
        ("ar", "ar", "rtl"),
        ("fa-IR", "fa", "rtl"),
        ("fr-CA,fr;q=0.8", "fr", "ltr"),
        ("es", "es", "ltr"),
        ("de-DE,de;q=0.9", "en", "ltr"),
        ("", "en", "ltr"),
    ],
)
def test_the_root_follows_accept_language(accept: str, lang: str, direction: str) -> None:
    response = browser().get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    content = response.content.decode()
    tag = html_tag(content)
    assert f'lang="{lang}"' in tag
    assert f'dir="{direction}"' in tag
    assert response["Content-Language"] == lang
    assert "Accept-Language" in response["Vary"]
    assert FORM.format(lang=lang) in content


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("ru", "ltr")])
def test_the_url_language_wins_over_the_browsers(lang: str, direction: str) -> None:
    response = browser().get(f"/{lang}/", HTTP_ACCEPT_LANGUAGE="en")
    tag = html_tag(response.content.decode())
    assert f'lang="{lang}"' in tag and f'dir="{direction}"' in tag
    assert FORM.format(lang=lang) in response.content.decode()


def test_the_switcher_links_every_language() -> None:
    content = browser().get("/en/").content.decode()
    for code, _name in settings.LANGUAGES:
        assert f'href="/{code}/"' in content


def test_the_title_is_the_neutral_configured_one(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_TITLE = "Community notices"
    content = browser().get("/en/").content.decode()
    title = re.search(r"<title>(.*?)</title>", content, re.DOTALL)
    assert title and "Community notices" in title.group(1)
    for word in ("LGBT", "gay", "lesbian", "queer", "persecut"):
        assert word.lower() not in title.group(1).lower()


@pytest.mark.parametrize("path", ["/de/", "/xx/", "/de/request/", "/EN/", "/en-us/"])
def test_an_unknown_language_is_404(path: str) -> None:
    assert browser().get(path).status_code == 404


def test_the_quick_exit_link_comes_first() -> None:
    content = browser().get("/en/").content.decode()
    body = content[content.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body)
    assert first_link and 'id="quick-exit"' in first_link.group(0)
    assert settings.PASSAGE_QUICK_EXIT_URL in first_link.group(0)


@pytest.mark.parametrize(
    ("headers", "warned"),
    [
        ({"HTTP_X_OPERAMINI_PHONE_UA": "Nokia"}, True),
        ({"HTTP_USER_AGENT": "Mozilla/5.0 [FBAN/FBIOS;FBAV/470.0]"}, True),
        ({"HTTP_USER_AGENT": "Mozilla/5.0 (X11; rv:128.0) Gecko/20100101 Firefox/128.0"}, False),
    ],
)
def test_proxy_and_in_app_browsers_are_warned(headers: dict[str, Any], warned: bool) -> None:
    content = browser().get("/en/", **headers).content.decode()
    assert ('class="banner banner--warning" role="note"' in content) is warned


def test_the_help_page_takes_no_post() -> None:
    assert browser().post("/en/", {}).status_code in {403, 405}


def test_the_privacy_page_sets_no_cookie() -> None:
    response = browser().get("/ru/privacy/")
    assert response.status_code == 200
    assert cookie_names(response) == set()
    assert 'lang="ru"' in html_tag(response.content.decode())
