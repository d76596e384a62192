"""An invited admin in a real browser: set a passphrase, enrol an authenticator, see the recovery
codes, sign in afresh, look at "My sessions", sign out; then a lockout after 5 failures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from tests.core.support import run_passage
from tests.e2e.conftest import CSP_VIOLATION, Authenticator, Site

pytestmark = pytest.mark.browser

PASSPHRASE = "copper-willow-signal-tide"


class Recorder:
    """Every request and console message; refused answers (400, 429) are expected here."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.console: list[str] = []
        page.on("request", self._on_request)
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def assert_clean(self, site: Site) -> None:
        assert self.requests
        foreign = [url for url in self.requests if not url.startswith(site.origin + "/")]
        assert not foreign, f"requests to another origin: {foreign}"
        assert not [line for line in self.console if CSP_VIOLATION.search(line)], self.console
        unexpected = [
            line
            for line in self.console
            if line.startswith(("error", "pageerror"))
            and not re.search(r"status of (400|429)", line)
        ]
        assert not unexpected, unexpected


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    yield context
    context.close()


def invitation_path(site: Site, username: str) -> str:
    result = run_passage(site.env, "createadmin", "--username", username)
    assert result.returncode == 0, result.stderr
    found = re.search(r"http://\S+(/staff/invitation/[A-Za-z0-9_-]+/)", result.stdout)
    assert found, result.stdout
    return found.group(1)


def test_invitation_then_sign_in_sessions_and_sign_out(context: BrowserContext, site: Site) -> None:
    path = invitation_path(site, "e2e-admin")
    page = context.new_page()
    recorder = Recorder(page)

    page.goto(site.base_url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your passphrase")
    page.get_by_label("New passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("New passphrase again").fill(PASSPHRASE)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add your authenticator app")
    # The QR code is SVG in the page itself; no image is fetched for it.
    assert page.locator(".qr-code svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    authenticator = Authenticator(secret)
    page.get_by_label("Code").fill(authenticator.next_code())
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(site.base_url + "/staff/home/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(site.base_url + "/staff/")

    # Sign in afresh: passphrase, then the authenticator's next code.
    page.get_by_label("Username").fill("e2e-admin")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(site.base_url + "/staff/home/")

    page.goto(site.base_url + "/staff/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My sessions")
    expect(page.get_by_text("This session")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"Chrome on Linux"))).to_be_visible()

    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(site.base_url + "/staff/")
    page.goto(site.base_url + "/staff/home/")
    assert urlsplit(page.url).path == "/staff/"  # signed out: back to sign-in
    recorder.assert_clean(site)

    # The link worked once.
    response = page.goto(site.base_url + path)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")


def test_idle_warning_a_minute_ahead_and_stay_signed_in(
    context: BrowserContext, site: Site
) -> None:
    page = context.new_page()
    recorder = Recorder(page)
    page.clock.install()  # the page's timers run on a clock the test moves
    page.goto(site.base_url + "/staff/")
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(site.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(site.base_url + "/staff/home/")

    warning = page.locator("#session-timeout")
    expect(warning).to_be_hidden()
    page.clock.run_for("13:50")  # 15 minutes idle, less 70 seconds
    expect(warning).to_be_hidden()
    page.clock.run_for("00:15")  # a minute (less 5 s) before the timeout
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out in a minute")
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    assert any(url.endswith("/staff/sessions/keep-alive/") for url in recorder.requests)
    recorder.assert_clean(site)


# Last in the module: it locks the caseworker's account for 15 minutes.
def test_lockout_after_five_failures(context: BrowserContext, site: Site) -> None:
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(site.base_url + "/staff/")
    for attempt in range(5):
        page.get_by_label("Username").fill(site.username)
        page.get_by_label("Passphrase").fill(f"wrong passphrase {attempt}")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Too many failed attempts.")
    expect(alert).to_contain_text("This account, if it exists, or this address is temporarily")
    # Now even the right passphrase is refused.
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts.")
    assert urlsplit(page.url).path == "/staff/"
    recorder.assert_clean(site)
