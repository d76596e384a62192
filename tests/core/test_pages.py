"""Every page we render: no URL of another origin, no inline script or style, right language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from pytest_django import Settings

from passage.accounts.models import PartnerOrganisation
from passage.accounts.roles import Role
from tests.core.support import is_same_origin, scan_html
from tests.personas import make_staff, sign_in_as


@pytest.fixture
def test_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.core.urls"


@pytest.fixture
def staff_client(db: None) -> Client:
    user = make_staff("page-tester", Role.CASEWORKER)
    client = sign_in_as(user)  # signed in with the second factor done, as through the pages
    client.raise_request_exception = False
    return client


PUBLIC_PAGES = ["/test/public", "/no/such/page", "/test/boom", "/test/forbidden"]
STAFF_PAGES = ["/staff/home/"]
ANONYMOUS_STAFF_PAGES = ["/staff/"]


def rendered_pages(staff_client: Client) -> dict[str, str]:
    anonymous = Client(raise_request_exception=False)
    pages = {}
    for path in PUBLIC_PAGES + ANONYMOUS_STAFF_PAGES:
        pages[path] = anonymous.get(path).content.decode()
    for path in STAFF_PAGES:
        pages[path] = staff_client.get(path).content.decode()
    pages["/staff/ (with errors)"] = anonymous.post(
        "/staff/", {"username": "nobody", "password": "wrong"}
    ).content.decode()
    pages["csrf failure"] = Client(enforce_csrf_checks=True).post("/staff/", {}).content.decode()
    return pages


@pytest.mark.usefixtures("test_urls")
def test_no_page_points_at_another_origin(staff_client: Client) -> None:
    for name, html in rendered_pages(staff_client).items():
        urls, _ = scan_html(html)
        assert urls, f"{name}: nothing parsed"
        for ref in urls:
            if ref.element_id == "quick-exit":
                # The one link out: a plain link to the configured neutral site.
                assert ref.value == settings.PASSAGE_QUICK_EXIT_URL
                assert ref.tag == "a"
                continue
            assert is_same_origin(ref.value), f"{name}: <{ref.tag} {ref.attribute}={ref.value!r}>"


@pytest.mark.usefixtures("test_urls")
def test_no_page_has_inline_script_or_style(staff_client: Client) -> None:
    for name, html in rendered_pages(staff_client).items():
        _, inline = scan_html(html)
        assert not inline, f"{name}: {inline}"


@pytest.mark.usefixtures("test_urls")
def test_public_pages_start_with_leave_quickly() -> None:
    html = Client(raise_request_exception=False).get("/test/public").content.decode()
    urls, _ = scan_html(html)
    links = [ref for ref in urls if ref.tag == "a"]
    assert links[0].element_id == "quick-exit"
    assert links[0].value == "https://www.wikipedia.org/"
    assert "Leave quickly" in html
    assert 'rel="noreferrer noopener"' in html
    # Neutral title: only the configured public title.
    assert re.search(r"<title>\s*Sample · Help request\s*</title>", html)
    # Public pages do not load htmx: they must work with JavaScript off, and need none.
    assert "htmx" not in html


@pytest.mark.usefixtures("test_urls")
def test_quick_exit_address_is_configurable(settings: Settings) -> None:
    settings.PASSAGE_QUICK_EXIT_URL = "https://weather.example/"
    html = Client().get("/test/public").content.decode()
    assert 'href="https://weather.example/"' in html


@pytest.mark.django_db  # the sign-in page reads whether a lockdown is in force
@pytest.mark.parametrize(
    ("accept_language", "lang", "direction"),
    [("en", "en", "ltr"), ("ar", "ar", "rtl"), ("fa", "fa", "rtl"), ("ru", "ru", "ltr")],
)
def test_language_and_direction_follow_the_active_language(
    accept_language: str, lang: str, direction: str
) -> None:
    html = Client().get("/staff/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html


# The sign-in page reads whether a lockdown is in force.
@pytest.mark.django_db
def test_every_page_has_a_viewport_and_our_stylesheet() -> None:
    html = Client().get("/staff/").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.search(
        r'<link rel="stylesheet" href="/static/passage/passage(\.[0-9a-f]+)?\.css">', html
    )


def test_staff_pages_configure_htmx_safely(staff_client: Client) -> None:
    html = staff_client.get("/staff/home/").content.decode()
    assert '<script src="/static/passage/vendor/htmx.min.js" defer></script>' in html
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert config is not None
    for setting in (
        '"includeIndicatorStyles":false',
        '"allowEval":false',
        '"allowScriptTags":false',
        '"selfRequestsOnly":true',
        '"historyCacheSize":0',
    ):
        assert setting in config.group(1)
    # The meta tag must come before the script reads it.
    assert html.index("htmx-config") < html.index("htmx.min.js")


def test_staff_navigation_is_honest_about_what_exists(staff_client: Client) -> None:
    html = staff_client.get("/staff/home/").content.decode()
    for area, url in (
        ("Inbox", "/staff/inbox/"),
        ("Queue", "/staff/queue/"),
        ("Cases", "/staff/cases/"),
    ):
        assert f'<a class="sidenav__item" href="{url}">{area}</a>' in html, area
    assert ">Money<" not in html  # finance only (passage.funds)
    assert ">Logistics<" not in html  # logistics only (passage.routes: the journey board)
    assert '<a class="sidenav__item" href="/staff/safety/">Safety</a>' in html
    assert ">Reports<" not in html  # reports.view: desk leads, admins, finance
    # Every area is built now: no placeholder, and no note about placeholders.
    assert "sidenav__item--disabled" not in html
    assert "Areas without a link are not built yet." not in html
    assert "Admin" not in html  # only admins see the Admin area
    assert "Referrals" not in html  # only partners see their portal


def test_partners_see_only_their_portal_in_the_navigation(db: None) -> None:
    partner = PartnerOrganisation.objects.create(code="P-9", name="Network")
    client = sign_in_as(make_staff("partner-nav", Role.PARTNER, partner=partner))
    assert client.get("/staff/home/")["Location"] == "/staff/partner/"  # their work: referrals
    html = client.get("/staff/sessions/").content.decode()
    assert '<a class="sidenav__item" href="/staff/partner/">Referrals</a>' in html
    for area in ("Inbox", "Queue", "Cases", "Logistics", "Money", "Safety"):
        assert f">{area}<" not in html, area
