"""Routes in a real browser: a logistics coordinator plans a route with a leg, starts a travel
plan on it for a case and adds a leg, sees the case on the journey board, marks the route
compromised, and sees the case flagged (summary, board) and the alert raised; every request
stays on our origin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Recorder
from tests.e2e.test_contact_log import page, sign_in

__all__ = ["page"]

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")
MEETING_POINT = "Under the clock at the bus station, 6 am"


@pytest.fixture(scope="module")
def reference(site: Site) -> str:
    """A case on the desk of the site's user, who is also a logistics coordinator there."""
    script = (
        "from passage.accounts.models import Desk, Membership, RoleGrant, User\n"
        "from passage.cases.services import opening\n"
        "from passage.cases.services.people import PersonDetails\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"user = User.objects.get(username={site.username!r})\n"
        "RoleGrant.objects.create(user=user, role='logistics')\n"
        "Membership.objects.create(user=user, desk=desk)\n"
        "case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name='A'))\n"
        "print(case.reference)\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = REFERENCE.search(made.stdout)
    assert found, made.stdout
    return found.group(0)


def flash(page: Page, text: str) -> None:
    expect(page.locator(".staff-main > .banner").filter(has_text=text)).to_be_visible()


def test_a_compromised_route_flags_the_case_and_alerts(
    page: Page, site: Site, reference: str
) -> None:
    recorder = Recorder(page)
    sign_in(page, site)

    # A route with one leg.
    page.goto(site.base_url + "/staff/logistics/routes/")
    page.get_by_label("Code name").fill("Rowan")
    page.get_by_role("button", name="Add route").click()
    flash(page, "Route added")
    page.get_by_label("From country").fill("RU")
    page.get_by_label("From (town or area)").fill("Grozny")
    page.get_by_label("To country").fill("GE")
    page.get_by_label("Transport").select_option("bus")
    page.get_by_label("Crosses a border").check()
    page.get_by_role("button", name="Add leg").click()
    flash(page, "Leg added.")
    expect(page.locator("tbody tr")).to_contain_text("Grozny")

    # A travel plan on it for the case, with one leg in two days.
    page.goto(site.base_url + "/staff/queue/")
    page.get_by_role("link", name=reference, exact=True).click()
    tabs = page.get_by_role("navigation", name="Case sections")
    tabs.get_by_role("link", name="Travel").click()
    page.get_by_label("Route").select_option(label="Rowan (Active)")
    page.get_by_role("button", name="Start plan").click()
    flash(page, "Travel plan started")
    page.get_by_role("link", name="Add a leg").click()
    day = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat()
    page.get_by_label("Departs").fill(day)
    page.get_by_label("Arrives").fill(day)
    page.get_by_label("Transport").select_option("bus")
    page.get_by_label("Meeting point").fill(MEETING_POINT)
    page.get_by_role("button", name="Add leg").click()
    flash(page, "Leg added.")
    expect(page.locator("tbody tr")).to_contain_text(MEETING_POINT)

    # On the journey board, without a booking.
    page.goto(site.base_url + "/staff/logistics/journeys/")
    row = page.locator("tbody tr").filter(has_text=reference)
    expect(row).to_contain_text("1 leg")

    # Mark the route compromised.
    page.goto(site.base_url + "/staff/logistics/routes/")
    page.get_by_role("link", name="Rowan").click()
    page.get_by_role("link", name="Mark compromised").click()
    expect(page.locator("main")).to_contain_text(reference)
    page.get_by_label("What happened").fill("The driver was stopped and questioned at the post.")
    page.get_by_role("button", name="Mark compromised").click()
    flash(page, "Route marked compromised")
    expect(page.locator("h1")).to_contain_text("Compromised")

    # The case is flagged on its summary and on the board; the alert is raised.
    page.goto(site.base_url + "/staff/queue/")
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.locator(".banner").filter(has_text="Route compromised:")).to_contain_text("Rowan")
    page.goto(site.base_url + "/staff/logistics/journeys/")
    expect(page.locator("tbody tr").filter(has_text=reference)).to_contain_text("route compromised")
    page.goto(site.base_url + "/staff/alerts/")
    expect(page.locator("main")).to_contain_text(
        f"A route that {reference} uses or plans to use was marked compromised"
    )

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site.base_url + "/staff/logistics/journeys/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    recorder.assert_clean(site)
