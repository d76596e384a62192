"""A security key in a real browser: Chromium's virtual authenticator, driven by our webauthn.js.

WebAuthn needs a host name as relying-party id (not an IP address), so this test uses
http://localhost (a secure context for browsers even without TLS).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import CSP_VIOLATION, Site

pytestmark = pytest.mark.browser


@pytest.fixture
def page_with_key(browser: Browser) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": False,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield page
    context.close()


def test_add_a_key_then_sign_in_with_it(page_with_key: Page, site: Site) -> None:
    page = page_with_key
    base = site.base_url.replace("127.0.0.1", "localhost")
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    page.goto(base + "/staff/")
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/staff/second-factor/")
    # No key yet: only codes are offered.
    expect(page.get_by_role("button", name="Use my security key instead")).to_have_count(0)
    page.get_by_label("Code").fill(site.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(base + "/staff/home/")

    page.goto(base + "/staff/security-keys/")
    expect(page.get_by_text("Adding a key needs JavaScript")).to_be_hidden()
    page.get_by_label("Name of the key").fill("e2e key")
    page.get_by_role("button", name="Add a security key").click()
    expect(page.get_by_role("cell", name="e2e key")).to_be_visible()
    expect(page.get_by_text("The security key is added.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/staff/")
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/staff/second-factor/")
    page.get_by_role("button", name="Use my security key instead").click()
    page.wait_for_url(base + "/staff/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    assert requests
    assert all(url.startswith(base + "/") for url in requests), requests
    assert not [line for line in console if CSP_VIOLATION.search(line)], console
    assert not [line for line in console if line.startswith(("error", "pageerror"))], console
