"""Safe houses in a real browser: a logistics coordinator sees the house list (code names),
shows a house's address through the audited button, places a verified case from its Safe house
tab, is refused when the house is full, marks the house compromised and sees the case flagged;
the calendar works at 320 px (the table scrolls) with no serious accessibility finding, and
every request stays on our origin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Recorder
from tests.e2e.test_contact_log import page, sign_in
from tests.e2e.test_public_accessibility import AXE, AXE_RUN

__all__ = ["page"]

pytestmark = pytest.mark.browser

ADDRESS = "ulitsa E2E-Marker 5, kv 12"
REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")

SETUP = """
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.models import Case
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.safehouses import services
desk = Desk.objects.create(name="Logistics desk")
user = User.objects.get(username={username!r})
RoleGrant.objects.create(user=user, role="logistics")
Membership.objects.create(user=user, desk=desk)
refs = []
for name in ("First", "Second"):
    case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name=name))
    Case.objects.filter(pk=case.pk).update(verification_outcome="verified")
    refs.append(case.reference)
services.safehouse_create(actor=user, desk=desk, code_name="Birch", region="Kazan", beds=1,
                          address={address!r})
print(" ".join(refs))
"""


def place(page: Page, site: Site, reference: str, day: str) -> None:
    page.goto(site.base_url + "/staff/cases/")
    page.get_by_role("link", name=reference, exact=True).first.click()
    tabs = page.get_by_role("navigation", name="Case sections")
    tabs.get_by_role("link", name="Safe house").click()
    page.get_by_role("link", name="Place in a safe house").click()
    page.get_by_label("Safe house").select_option(label="Birch")
    page.get_by_label("From (first night)").fill(day)
    page.get_by_label("To (day of leaving)").fill("2099-01-01")
    page.get_by_role("button", name="Plan the stay").click()


def test_logistics_places_reveals_and_marks_compromised(page: Page, site: Site) -> None:
    made = run_passage(
        site.env, "shell", "-c", SETUP.format(username=site.username, address=ADDRESS)
    )
    assert made.returncode == 0, made.stderr
    first, second = REFERENCE.findall(made.stdout)
    recorder = Recorder(page)
    sign_in(page, site)

    page.goto(site.base_url + "/staff/safehouses/")
    expect(page.get_by_role("link", name="Birch")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(ADDRESS)
    page.get_by_role("link", name="Birch").click()
    page.get_by_role("button", name="Show address").click()
    expect(page.locator(".story").first).to_contain_text(ADDRESS)

    place(page, site, first, "2098-12-01")
    expect(page.locator(".staff-main > .banner").filter(has_text="Stay planned.")).to_be_visible()
    place(page, site, second, "2098-12-15")
    expect(page.locator(".error-summary")).to_contain_text("do not fit")

    page.goto(site.base_url + "/staff/safehouses/")
    page.get_by_role("link", name="Birch").click()
    page.get_by_role("link", name="Mark compromised").click()
    page.get_by_label("What happened").fill("A stranger photographed the door")
    page.get_by_role("button", name="Mark compromised").click()
    expect(page.locator(".banner--danger").first).to_contain_text("Compromised:")
    expect(page.locator("body")).to_contain_text(first)

    page.goto(site.base_url + "/staff/cases/")
    page.get_by_role("link", name=first, exact=True).first.click()
    expect(page.locator(".banner--danger")).to_contain_text("Safe house compromised:")
    page.goto(site.base_url + "/staff/alerts/")
    expect(page.locator("body")).to_contain_text(first)

    page.goto(site.base_url + "/staff/safehouses/")
    page.get_by_role("link", name="Birch").click()
    page.get_by_role("link", name="Occupancy calendar").click()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert AXE.is_file(), "axe-core missing: npm ci --prefix tests/e2e"
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    serious = [v["id"] for v in page.evaluate(AXE_RUN) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious
    recorder.assert_clean(site)
