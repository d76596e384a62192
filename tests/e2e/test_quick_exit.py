"""Quick exit, with JavaScript on and off, and what it leaves in the browser's history.

The installation's PASSAGE_QUICK_EXIT_URL points at a neutral page served here, on another local
port, so nothing leaves the machine and the test sees the browser arrive.

- JavaScript on: Escape twice, Shift three times, or a click on "Leave quickly" blank the page at
  once and `location.replace` it with the neutral site: `history.length` stays 1, so Back does not
  lead to the help page.
- JavaScript off: the link still works, as a plain link, but the help page stays in the history
  (`history.length` is 2). Nothing can prevent that without a script, which is why the help
  page's safety notice tells people to use a private window.
- "Leave quickly" is the first element in tab order.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import Site, serve_site

pytestmark = pytest.mark.browser

NEUTRAL_HTML = (
    b"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Weather</title>"
    b"<h1>Weather today</h1><p>Mild, light wind.</p></html>"
)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser leaving (a page closed, a held request let go) may drop its connection.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class NeutralSite:
    def __init__(self) -> None:
        self.paths: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(NEUTRAL_HTML)))
                self.end_headers()
                self.wfile.write(NEUTRAL_HTML)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NeutralSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def neutral() -> Iterator[NeutralSite]:
    with NeutralSite() as served:
        yield served


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, neutral: NeutralSite) -> Iterator[Site]:
    """This module's installation leaves quickly to the neutral page served above."""
    with serve_site(tmp_path_factory, {"PASSAGE_QUICK_EXIT_URL": neutral.url}) as served:
        yield served


@pytest.fixture
def with_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def without_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    try:
        yield context
    finally:
        context.close()


def open_tab(context: BrowserContext, url: str) -> Page:
    """A new tab opened on ``url``, whose history holds just that page (a page from
    ``new_page()`` keeps an about:blank entry before it). Playwright's evaluate runs even where
    the page's own scripts are off."""
    opener = context.new_page()
    with context.expect_page() as opened:
        opener.evaluate("url => { window.open(url); }", url)
    page = opened.value
    page.wait_for_load_state()
    opener.close()
    return page


def help_page(context: BrowserContext, site: Site, neutral: NeutralSite) -> Page:
    """A fresh tab that opened the help page (its history: just that page)."""
    page = open_tab(context, site.base_url + "/en/")
    expect(page.locator("#quick-exit")).to_have_attribute("href", neutral.url)
    assert page.evaluate("history.length") == 1
    return page


def assert_left_without_trace(page: Page, neutral: NeutralSite) -> None:
    page.wait_for_url(neutral.url)
    expect(page.locator("h1")).to_have_text("Weather today")
    assert page.evaluate("history.length") == 1, "the help page must not stay in the history"


# Reports, from inside the page, what it looks like once quick exit has hidden it (a page whose
# navigation is pending cannot be inspected from outside). Added by Playwright, outside the CSP.
WATCH_BLANKING = """
new MutationObserver((changes, observer) => {
  if (document.documentElement.style.display !== "none") { return; }
  observer.disconnect();
  const children = document.body ? document.body.childElementCount : -1;
  console.log("blanked title=" + JSON.stringify(document.title) + " children=" + children);
}).observe(document, { attributes: true, childList: true, subtree: true });
"""


def test_escape_twice_blanks_the_page_and_replaces_it(
    with_js: BrowserContext, site: Site, neutral: NeutralSite
) -> None:
    with_js.add_init_script(WATCH_BLANKING)
    page = help_page(with_js, site, neutral)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    # Hold the neutral page's answer, to see that the help page was blanked meanwhile.
    held: list[Route] = []
    page.route(neutral.url, lambda route: held.append(route))
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    assert page.url == site.base_url + "/en/", "one Escape alone does not leave"
    assert not held
    page.keyboard.press("Escape")
    for _ in range(50):
        if held and console:
            break
        page.wait_for_timeout(100)
    assert held, "the neutral site is asked for"
    assert console == ['blanked title="" children=0'], console
    held[0].continue_()
    assert_left_without_trace(page, neutral)


def test_shift_three_times(with_js: BrowserContext, site: Site, neutral: NeutralSite) -> None:
    page = help_page(with_js, site, neutral)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(200)
    assert page.url == site.base_url + "/en/", "two Shifts do not leave (typing capitals)"
    page.keyboard.press("Shift")
    assert_left_without_trace(page, neutral)


def test_click_with_javascript(with_js: BrowserContext, site: Site, neutral: NeutralSite) -> None:
    page = help_page(with_js, site, neutral)
    page.locator("#quick-exit").click()
    assert_left_without_trace(page, neutral)


def test_link_without_javascript_keeps_the_page_in_history(
    without_js: BrowserContext, site: Site, neutral: NeutralSite
) -> None:
    page = help_page(without_js, site, neutral)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.url == site.base_url + "/en/", "no script, so no shortcut"
    page.get_by_role("link", name="Leave quickly").click()
    page.wait_for_url(neutral.url)
    expect(page.locator("h1")).to_have_text("Weather today")
    # A plain link adds an entry: Back leads to the help page. Only a private window (as the
    # safety notice advises) or a script can avoid that.
    assert page.evaluate("history.length") == 2
    page.go_back()
    page.wait_for_url(site.base_url + "/en/")


@pytest.mark.parametrize("path", ["/en/", "/ar/", "/ru/mailbox/", "/fa/privacy/", "/en/nowhere/"])
def test_leave_quickly_is_first_in_tab_order(
    with_js: BrowserContext, site: Site, neutral: NeutralSite, path: str
) -> None:
    page = open_tab(with_js, site.base_url + path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    expect(page.locator("#quick-exit")).to_be_in_viewport()
    # Enter on it leaves too, without a trace.
    page.keyboard.press("Enter")
    page.wait_for_url(neutral.url)
    assert page.evaluate("history.length") == 1
