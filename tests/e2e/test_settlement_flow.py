"""Settlement in a real browser: a settlement worker makes the plan of an arrived case on its
Settlement tab, finds the overdue 1-month follow-up in the Settlement area's list, records it
with wellbeing notes and names a sponsor group for a need; the pages work at 320 px with no
serious accessibility finding, and every request stays on our origin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Recorder
from tests.e2e.test_contact_log import REFERENCE, page, sign_in
from tests.e2e.test_public_accessibility import AXE, AXE_RUN

__all__ = ["page"]

pytestmark = pytest.mark.browser

CITY = "Hamilton, Ontario"
SPONSOR = "St Mark's sponsor group"
WELLBEING = "Sleeping better; started English classes; wants help with a bank account."


@pytest.fixture(scope="module")
def reference(site: Site) -> str:
    """A case on the worker's desk brought to "Arrived" through the real services; the site's
    user is also a settlement worker."""
    script = (
        "from passage.accounts.models import Desk, Membership, RoleGrant, User\n"
        "from passage.cases.services import opening\n"
        "from passage.cases.services.people import PersonDetails\n"
        "from tests.cases.helpers import to_stage\n"
        "desk = Desk.objects.create(name='North Caucasus')\n"
        f"user = User.objects.get(username={site.username!r})\n"
        "Membership.objects.create(user=user, desk=desk)\n"
        "RoleGrant.objects.create(user=user, role='settlement')\n"
        "verifier = User.objects.create(username='e2e-verifier')\n"
        "RoleGrant.objects.create(user=verifier, role='verifier')\n"
        "Membership.objects.create(user=verifier, desk=desk)\n"
        "case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name='A'))\n"
        "case = to_stage(case, user, verifier, 'arrived')\n"
        "print(case.reference)\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = REFERENCE.search(made.stdout)
    assert found, made.stdout
    return found.group(0)


def banner(page: Page, text: str) -> None:
    expect(page.locator(".staff-main > .banner").filter(has_text=text)).to_be_visible()


def test_a_plan_and_its_first_follow_up(page: Page, site: Site, reference: str) -> None:
    recorder = Recorder(page)
    sign_in(page, site)
    page.goto(site.base_url + "/staff/queue/")
    page.get_by_role("link", name=reference, exact=True).click()
    tabs = page.get_by_role("navigation", name="Case sections")
    tabs.get_by_role("link", name="Settlement").click()
    expect(page.get_by_role("heading", name="Make the settlement plan")).to_be_visible()

    arrived = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=40)
    page.get_by_label("Arrival date").fill(arrived.isoformat())
    page.get_by_label("City").fill(CITY)
    page.get_by_role("button", name="Make the plan").click()
    banner(page, "Settlement plan made")
    expect(page.locator("dd").filter(has_text=CITY)).to_be_visible()

    # The Settlement area lists the overdue 1-month follow-up.
    page.get_by_role("navigation", name="Areas").get_by_role("link", name="Settlement").click()
    row = page.locator("tbody tr").filter(has_text=reference)
    expect(row).to_contain_text("overdue")
    expect(row).to_contain_text("1 month")
    row.get_by_role("link", name=reference).click()

    follow_ups = page.locator("section").filter(
        has=page.get_by_role("heading", name="Follow-ups", exact=True)
    )
    follow_ups.get_by_role("link", name=re.compile("Record")).first.click()
    page.get_by_label("Done").check()
    page.get_by_label("How the person is doing").fill(WELLBEING)
    page.get_by_role("button", name="Save").click()
    banner(page, "Follow-up saved.")
    first = page.locator("tbody tr").filter(has_text=WELLBEING)
    expect(first).to_contain_text("Done")

    sponsor = page.locator("tbody tr").filter(has_text="Community sponsor or buddy")
    sponsor.get_by_role("link", name="Change").click()
    page.get_by_label("In progress").check()
    page.get_by_label("Who else helps").fill(SPONSOR)
    page.get_by_role("button", name="Save").click()
    banner(page, "Need saved.")
    expect(page.locator("tbody tr").filter(has_text="Community sponsor or buddy")).to_contain_text(
        SPONSOR
    )

    # Nothing due any more: the list says what belongs there.
    page.goto(site.base_url + "/staff/settlement/")
    expect(page.locator("tbody tr").filter(has_text=reference)).to_have_count(0)

    page.goto(site.base_url + "/staff/queue/")
    page.get_by_role("link", name=reference, exact=True).click()
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Settlement"
    ).click()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert AXE.is_file(), "axe-core missing: npm ci --prefix tests/e2e"
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    serious = [v["id"] for v in page.evaluate(AXE_RUN) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious
    recorder.assert_clean(site)
