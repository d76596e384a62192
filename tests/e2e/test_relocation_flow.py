"""Issue 7's whole journey in one real browser run, on one verified case: logistics is refused a
full safe house and places the case in another, plans a route and a travel leg, marks the route
compromised and sees the case flagged and the alert raised; then finance approves the case's
budget line, records a payment, and a payment beyond the line is refused. Every request of
both people stays on our origin.

The pieces are tested one by one in test_safehouses_flow, test_route_compromised and
test_funds_flow; this test proves they hold together on the same case."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Persona, Recorder
from tests.e2e.test_contact_log import page, sign_in
from tests.e2e.test_funds_flow import banner, persona_sign_in

__all__ = ["page"]

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")
FINANCE = Persona("e2e-relocation-finance", "amber-lantern-river-stone", "finance")

# The site's user works the desk as a caseworker and logistics coordinator. "Birch" has one bed,
# taken by another verified case for the same nights; "Aspen" has two.
SETUP = """
import datetime as dt
from django.utils import timezone
from passage.accounts.models import Desk, Membership, RoleGrant, TotpDevice, User
from passage.cases.models import Case
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.funds import services as funds
from passage.safehouses import services as houses
desk = Desk.objects.create(name="Relocation desk")
user = User.objects.get(username={username!r})
RoleGrant.objects.create(user=user, role="logistics")
Membership.objects.create(user=user, desk=desk)
cases = []
for name in ("Ours", "Other"):
    case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name=name))
    Case.objects.filter(pk=case.pk).update(verification_outcome="verified")
    cases.append(Case.objects.get(pk=case.pk))
birch = houses.safehouse_create(actor=user, desk=desk, code_name="Birch", region="Kazan",
                                beds=1, address="ulitsa Birch 1")
houses.safehouse_create(actor=user, desk=desk, code_name="Aspen", region="Kazan", beds=2,
                        address="ulitsa Aspen 2")
start = timezone.localdate() + dt.timedelta(days=1)
houses.stay_place(actor=user, case=cases[1], house=birch, planned_from=start,
                  planned_to=start + dt.timedelta(days=30))
finance = User(username={finance!r})
finance.set_password({passphrase!r})
finance.save()
RoleGrant.objects.create(user=finance, role="finance")
Membership.objects.create(user=finance, desk=desk)
TotpDevice(user=finance, secret={secret!r}, confirmed=True).save()
fund = funds.fund_create(name="Relocation fund", programme="", currency="EUR", desk=None,
                         four_eyes_minor=None, actor=finance)
funds.fund_deposit(fund=fund, amount=1_000_000, on=timezone.localdate(), actor=finance)
print(cases[0].reference)
"""


def open_tab(page: Page, site: Site, reference: str, tab: str) -> None:
    page.goto(site.base_url + "/staff/cases/")
    page.get_by_role("link", name=reference, exact=True).first.click()
    page.get_by_role("navigation", name="Case sections").get_by_role("link", name=tab).click()


def place(page: Page, site: Site, reference: str, house: str, first_night: dt.date) -> None:
    open_tab(page, site, reference, "Safe house")
    page.get_by_role("link", name="Place in a safe house").click()
    page.get_by_label("Safe house").select_option(label=house)
    page.get_by_label("From (first night)").fill(first_night.isoformat())
    page.get_by_label("To (day of leaving)").fill((first_night + dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Plan the stay").click()


def test_one_case_from_safe_house_to_paid_ticket(page: Page, browser: Browser, site: Site) -> None:
    made = run_passage(
        site.env,
        "shell",
        "-c",
        SETUP.format(
            username=site.username,
            finance=FINANCE.username,
            passphrase=FINANCE.passphrase,
            secret=FINANCE.authenticator.secret,
        ),
    )
    assert made.returncode == 0, made.stderr
    found = REFERENCE.search(made.stdout)
    assert found, made.stdout
    reference = found.group(0)
    recorder = Recorder(page)
    sign_in(page, site)
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)

    # Birch is full on those nights: refused. Aspen takes the case.
    place(page, site, reference, "Birch", tomorrow)
    expect(page.locator(".error-summary")).to_contain_text("do not fit")
    place(page, site, reference, "Aspen", tomorrow)
    banner(page, "Stay planned.")

    # A route with one leg, and a travel plan on it for the case.
    page.goto(site.base_url + "/staff/logistics/routes/")
    page.get_by_label("Code name").fill("Larch")
    page.get_by_role("button", name="Add route").click()
    banner(page, "Route added")
    page.get_by_label("From country").fill("RU")
    page.get_by_label("From (town or area)").fill("Kazan")
    page.get_by_label("To country").fill("GE")
    page.get_by_label("Transport").select_option("bus")
    page.get_by_label("Crosses a border").check()
    page.get_by_role("button", name="Add leg").click()
    banner(page, "Leg added.")
    open_tab(page, site, reference, "Travel")
    page.get_by_label("Route").select_option(label="Larch (Active)")
    page.get_by_role("button", name="Start plan").click()
    banner(page, "Travel plan started")
    page.get_by_role("link", name="Add a leg").click()
    day = (tomorrow + dt.timedelta(days=21)).isoformat()
    page.get_by_label("Departs").fill(day)
    page.get_by_label("Arrives").fill(day)
    page.get_by_label("Transport").select_option("bus")
    page.get_by_role("button", name="Add leg").click()
    banner(page, "Leg added.")

    # The route is compromised: the case is flagged and an alert is raised.
    page.goto(site.base_url + "/staff/logistics/routes/")
    page.get_by_role("link", name="Larch").click()
    page.get_by_role("link", name="Mark compromised").click()
    page.get_by_label("What happened").fill("The driver was questioned at the border post.")
    page.get_by_role("button", name="Mark compromised").click()
    banner(page, "Route marked compromised")
    open_tab(page, site, reference, "Summary")
    expect(page.locator(".banner").filter(has_text="Route compromised:")).to_contain_text("Larch")
    page.goto(site.base_url + "/staff/alerts/")
    expect(page.locator("main")).to_contain_text(
        f"A route that {reference} uses or plans to use was marked compromised"
    )

    # The caseworker asks for the airfare.
    open_tab(page, site, reference, "Budget")
    page.get_by_role("link", name="Ask for a budget line").click()
    page.get_by_label("Fund").select_option(label="Relocation fund (EUR)")
    page.get_by_label("For", exact=True).select_option("airfare")
    page.get_by_label("Estimate").fill("450")
    page.get_by_role("button", name="Ask for the line").click()
    banner(page, "Budget line added")
    recorder.assert_clean(site)

    # Finance approves it, pays 400 EUR, and is refused 100 EUR more.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        fin = context.new_page()
        fin_recorder = Recorder(fin)
        persona_sign_in(fin, site, FINANCE)
        fin.get_by_role("link", name="Money").first.click()
        fin.get_by_role("link", name=reference, exact=True).click()
        if "/staff/step-up/" in fin.url:
            fin.get_by_label("Code").fill(FINANCE.authenticator.next_code())
            fin.get_by_role("button", name="Continue").click()
        fin.get_by_label("Approve").check()
        fin.get_by_role("button", name="Record the decision").click()
        banner(fin, "Decision recorded.")
        fin.get_by_role("link", name=re.compile("Record a payment")).click()
        fin.get_by_label("Amount").fill("400")
        fin.get_by_label("How").select_option("transfer_service")
        fin.get_by_role("button", name="Record the payment").click()
        banner(fin, "Disbursement recorded.")
        fin.get_by_role("link", name=re.compile("Record a payment")).click()
        fin.get_by_label("Amount").fill("100")
        fin.get_by_label("How").select_option("cash")
        fin.get_by_role("button", name="Record the payment").click()
        expect(fin.locator(".error-summary")).to_contain_text(
            "This would overspend the approved line: 50.00 EUR is left of it"
        )
        fin_recorder.assert_clean(site)
    finally:
        context.close()
