"""The staff sign-in page in a real browser: phone width, JavaScript off and on, RTL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    ViewportSize,
    expect,
)

from tests.e2e.conftest import CSP_VIOLATION, Site

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 320, "height": 640}


class Recorder:
    """Every request the page makes and every console message it logs."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.console: list[str] = []
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        self.console.append(f"{message.type}: {message.text}")

    def assert_clean(self, site: Site) -> None:
        assert self.requests, "nothing was requested"
        foreign = [url for url in self.requests if not url.startswith(site.origin + "/")]
        assert not foreign, f"requests to another origin: {foreign}"
        violations = [line for line in self.console if CSP_VIOLATION.search(line)]
        assert not violations, violations
        errors = [line for line in self.console if line.startswith(("error", "pageerror"))]
        assert not errors, errors


@pytest.fixture
def no_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture
def with_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


def sign_in(page: Page, site: Site) -> None:
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(site.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(site.base_url + "/staff/home/")


def test_sign_in_works_without_javascript_at_320px(no_js: BrowserContext, site: Site) -> None:
    page = no_js.new_page()
    recorder = Recorder(page)
    response = page.goto(site.base_url + "/staff/")
    assert response is not None and response.status == 200
    assert page.title() == "Sign in · Passage"
    # The username field has focus on arrival (autofocus works without JavaScript).
    expect(page.get_by_label("Username")).to_be_focused()

    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill("not the passphrase")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("The username or passphrase is not right.")
    expect(alert).to_be_focused()  # autofocus: a screen reader starts at the problem
    assert page.get_by_label("Username").input_value() == site.username  # nothing erased
    # Invalid input is answered with a 400 (DESIGN invariant 7), which the browser notes.
    assert recorder.console == [
        "error: Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    recorder.console.clear()

    sign_in(page, site)
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    recorder.assert_clean(site)


def test_no_horizontal_scroll_and_no_csp_violations(with_js: BrowserContext, site: Site) -> None:
    page = with_js.new_page()
    recorder = Recorder(page)
    page.goto(site.base_url + "/staff/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Our stylesheet applied (served by our own /static/ view, allowed by the CSP).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"

    sign_in(page, site)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # htmx loaded from our origin, configured by its meta tag, and injected no <style>.
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("htmx.config.historyCacheSize") == 0
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    # Keyboard: the skip link comes first and is visible when focused.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(site.base_url + "/staff/")
    recorder.assert_clean(site)


def test_right_to_left_at_320px(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport=PHONE, locale="ar")
    try:
        page = context.new_page()
        recorder = Recorder(page)
        page.goto(site.base_url + "/staff/")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Labels sit at the right-hand edge in RTL: logical properties at work.
        label = page.locator("label[for=id_username]").bounding_box()
        field = page.locator("#id_username").bounding_box()
        assert label is not None and field is not None
        assert label["x"] + label["width"] == pytest.approx(field["x"] + field["width"], abs=2)
        recorder.assert_clean(site)
    finally:
        context.close()
