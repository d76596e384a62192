"""Issue 8's lockdown in a real browser: a caseworker is working; one admin proposes a lockdown
and a second admin confirms it; the caseworker's open page ends on its next request, and the
sign-in page says only admins may sign in. An admin signs in again and sees the banner; two
admins lift it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Persona
from tests.e2e.test_contact_log import page, sign_in
from tests.e2e.test_funds_flow import persona_sign_in

__all__ = ["page"]

pytestmark = pytest.mark.browser

FIRST = Persona("e2e-admin-one", "granite-harbour-lantern-five", "admin")
SECOND = Persona("e2e-admin-two", "willow-copper-signal-nine", "admin")

SETUP = """
from passage.accounts.models import RoleGrant, TotpDevice, User
for username, passphrase, secret in {admins!r}:
    user = User(username=username)
    user.set_password(passphrase)
    user.save()
    RoleGrant.objects.create(user=user, role="admin")
    TotpDevice(user=user, secret=secret, confirmed=True).save()
"""


@pytest.fixture(scope="module")
def admins(site: Site) -> tuple[Persona, Persona]:
    code = SETUP.format(
        admins=[(p.username, p.passphrase, p.authenticator.secret) for p in (FIRST, SECOND)]
    )
    result = run_passage(site.env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return FIRST, SECOND


def test_lockdown_ends_an_open_caseworker_session_on_its_next_request(
    page: Page, browser: Browser, site: Site, admins: tuple[Persona, Persona]
) -> None:
    first, second = admins
    sign_in(page, site)
    page.goto(site.base_url + "/staff/sessions/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        one, two = (context.new_page() for context in contexts)
        persona_sign_in(one, site, first)
        one.goto(site.base_url + "/staff/lockdown/")
        one.get_by_role("button", name="Propose a lockdown").click()
        expect(one.get_by_text("You proposed it: another admin must confirm.")).to_be_visible()

        persona_sign_in(two, site, second)
        expect(two.locator(".lockdown-banner")).to_contain_text("An emergency lockdown is proposed")
        two.goto(site.base_url + "/staff/lockdown/")
        two.get_by_role("button", name="Confirm: start the lockdown now").click()
        expect(two.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(two.get_by_text("Your session was ended by the emergency lockdown")).to_be_visible()

        # The caseworker's page was open all along: its next request ends the session.
        page.get_by_role("link", name="My work").first.click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(
            page.get_by_text("An emergency lockdown is in force: only admins may sign in")
        ).to_be_visible()
        # Signing in again is refused to the caseworker...
        page.get_by_label("Username").fill(site.username)
        page.get_by_label("Passphrase").fill(site.passphrase)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("The username or passphrase is not right")).to_be_visible()

        # ...but an admin signs in, sees the banner, and two admins lift it.
        persona_sign_in(two, site, second)
        expect(two.locator(".lockdown-banner")).to_contain_text("Emergency lockdown in force")
        two.goto(site.base_url + "/staff/lockdown/")
        two.get_by_role("button", name="Propose lifting the lockdown").click()
        persona_sign_in(one, site, first)
        one.goto(site.base_url + "/staff/lockdown/")
        one.get_by_role("button", name="Confirm: lift the lockdown").click()
        expect(one.get_by_text("The lockdown is lifted.")).to_be_visible()
        expect(one.locator(".lockdown-banner")).to_have_count(0)
    finally:
        for context in contexts:
            context.close()
    sign_in(page, site)
    expect(page.locator(".lockdown-banner")).to_have_count(0)
