"""Funds in a real browser (issue 7, the finance half of the Done-when): a caseworker asks for a
budget line on the case's Budget tab; a finance officer finds it under Money, approves it
(after step-up when asked), records a payment, and a payment beyond what is left of the line
is refused with a clear message. The Budget tab fits 320 px and every request stays on our
origin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Persona, Recorder
from tests.e2e.test_contact_log import page, sign_in

__all__ = ["page"]

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")
FINANCE = Persona("e2e-finance", "garnet-harbour-willow-lamp", "finance")

SETUP = """
from django.utils import timezone
from passage.accounts.models import Desk, Membership, RoleGrant, TotpDevice, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.funds import services
desk = Desk.objects.create(name="Funds desk")
worker = User.objects.get(username={worker!r})
Membership.objects.create(user=worker, desk=desk)
finance = User(username={username!r})
finance.set_password({passphrase!r})
finance.save()
RoleGrant.objects.create(user=finance, role="finance")
Membership.objects.create(user=finance, desk=desk)
TotpDevice(user=finance, secret={secret!r}, confirmed=True).save()
fund = services.fund_create(name="Chechnya emergency fund", programme="", currency="EUR",
                            desk=None, four_eyes_minor=None, actor=finance)
services.fund_deposit(fund=fund, amount=1_000_000, on=timezone.localdate(), actor=finance)
case = opening.case_open(desk=desk, actor=worker, person=PersonDetails(chosen_name="F"))
print(case.reference)
"""


@pytest.fixture(scope="module")
def reference(site: Site) -> str:
    script = SETUP.format(
        worker=site.username,
        username=FINANCE.username,
        passphrase=FINANCE.passphrase,
        secret=FINANCE.authenticator.secret,
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = REFERENCE.search(made.stdout)
    assert found, made.stdout
    return found.group(0)


def persona_sign_in(page: Page, site: Site, persona: Persona) -> None:
    """Sign ``persona`` in (passphrase, then the authenticator's next code) on ``page``."""
    page.goto(site.base_url + "/staff/")
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Passphrase").fill(persona.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(persona.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/staff/(?!second-factor)"))


def banner(page: Page, text: str) -> None:
    expect(page.locator(".staff-main > .banner").filter(has_text=text)).to_be_visible()


def test_finance_approves_pays_and_an_overspend_is_refused(
    page: Page, browser: Browser, site: Site, reference: str
) -> None:
    # The caseworker asks for 800 EUR of airfare on the Budget tab.
    recorder = Recorder(page)
    sign_in(page, site)
    page.goto(site.base_url + "/staff/queue/")
    page.get_by_role("link", name=reference, exact=True).click()
    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Ask for a budget line").click()
    page.get_by_label("Fund").select_option(label="Chechnya emergency fund (EUR)")
    page.get_by_label("For", exact=True).select_option("airfare")
    page.get_by_label("Estimate").fill("800")
    page.get_by_role("button", name="Ask for the line").click()
    banner(page, "Budget line added")
    expect(page.locator("tbody tr").first).to_contain_text("800.00 EUR")
    recorder.assert_clean(site)

    # Finance signs in, finds the line under Money and approves it.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        fin = context.new_page()
        fin_recorder = Recorder(fin)
        persona_sign_in(fin, site, FINANCE)
        fin.get_by_role("link", name="Money").first.click()
        expect(fin.get_by_role("heading", level=1)).to_have_text("Money")
        fin.get_by_role("link", name=reference, exact=True).click()
        if "/staff/step-up/" in fin.url:
            fin.get_by_label("Code").fill(FINANCE.authenticator.next_code())
            fin.get_by_role("button", name="Continue").click()
        fin.get_by_label("Approve").check()
        fin.get_by_role("button", name="Record the decision").click()
        banner(fin, "Decision recorded.")
        expect(fin.locator("tbody tr").first).to_contain_text("Approved")

        # A payment of 600 EUR, then one of 250 EUR that would overspend the line.
        fin.get_by_role("link", name=re.compile("Record a payment")).click()
        fin.get_by_label("Amount").fill("600")
        fin.get_by_label("How").select_option("transfer_service")
        fin.get_by_label("Reference").fill("MTCN 1234567890")
        fin.get_by_role("button", name="Record the payment").click()
        banner(fin, "Disbursement recorded.")
        fin.get_by_role("link", name=re.compile("Record a payment")).click()
        fin.get_by_label("Amount").fill("250")
        fin.get_by_label("How").select_option("cash")
        fin.get_by_role("button", name="Record the payment").click()
        expect(fin.locator(".error-summary")).to_contain_text(
            "This would overspend the approved line: 200.00 EUR is left of it"
        )
        fin.get_by_role("link", name="Cancel").click()
        row = fin.locator("tbody tr").first
        expect(row).to_contain_text("600.00 EUR")
        expect(fin.get_by_text("MTCN 1234567890")).to_have_count(0)  # only after a reveal

        fin.set_viewport_size({"width": 320, "height": 800})
        assert fin.evaluate("document.documentElement.scrollWidth") <= 320
        fin_recorder.assert_clean(site)
    finally:
        context.close()
