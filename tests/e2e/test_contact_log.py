"""Issue 5's "Done when": in a real browser, a caseworker logs a Signal contact on a case in
under 10 interactions, then finds it in the case's timeline and its next-contact date in the
queue's "Next contact" column. Every request stays on our origin."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Recorder
from tests.e2e.test_public_accessibility import AXE, AXE_RUN

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
SUMMARY = "Pasted from Signal: safe at a friend's place tonight, phone battery low."
REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")


@pytest.fixture(scope="module")
def reference(site: Site) -> str:
    """A case on the caseworker's desk, opened through the real service."""
    script = (
        "from passage.accounts.models import Desk, Membership, User\n"
        "from passage.cases.services import opening\n"
        "from passage.cases.services.people import PersonDetails\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"user = User.objects.get(username={site.username!r})\n"
        "Membership.objects.create(user=user, desk=desk)\n"
        "case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name='A'))\n"
        "print(case.reference)\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = REFERENCE.search(made.stdout)
    assert found, made.stdout
    return found.group(0)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


class Counter:
    """Counts what the caseworker does: clicks, fills, checks, selects, submits."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, action: object) -> None:
        self.count += 1


def sign_in(page: Page, site: Site) -> None:
    page.goto(site.base_url + "/staff/")
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(site.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/staff/(?!second-factor)"))


def test_a_signal_contact_in_under_ten_interactions(page: Page, site: Site, reference: str) -> None:
    recorder = Recorder(page)
    sign_in(page, site)
    page.goto(site.base_url + "/staff/queue/")
    step = Counter()

    # From the queue: open the case, its Contacts tab, paste, pick "In 3 days", log it.
    page.get_by_role("link", name=reference, exact=True).click()
    step("click")
    tabs = page.get_by_role("navigation", name="Case sections")
    tabs.get_by_role("link", name="Contacts").click()
    step("click")
    form = page.locator("form[data-autosave]")
    expect(form.get_by_label("Channel")).to_have_value("signal")  # preselected
    expect(form.get_by_label("They contacted us")).to_be_checked()  # the default direction
    form.get_by_label("What was said").fill(SUMMARY)
    step("fill")
    form.get_by_label("In 3 days").check()
    step("check")
    form.get_by_role("button", name="Log contact").click()
    step("submit")
    expect(page.locator(".staff-main > .banner").filter(has_text="Contact logged.")).to_be_visible()
    assert step.count < 10, step.count

    # The timeline has it.
    tabs.get_by_role("link", name="Timeline").click()
    timeline = page.locator("ol.timeline li[data-kind='contact']")
    expect(timeline).to_have_count(1)
    expect(timeline).to_contain_text("Signal")
    expect(timeline).to_contain_text(SUMMARY)

    # The queue's "Next contact" column has the day in three days.
    page.get_by_role("navigation", name="Areas").get_by_role("link", name="Queue").click()
    headers = page.locator("table.table thead th")
    names = [h.strip() for h in headers.all_inner_texts()]
    column = names.index("Next contact")
    row = page.locator("tbody tr").filter(has_text=reference)
    cell = row.locator("td, th").nth(column)
    due = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)  # the server's TIME_ZONE is UTC
    expect(cell).to_contain_text(f"{due.day} {due.strftime('%b')} {due.year}")
    expect(cell).to_contain_text("in 3 days")

    # The contact log at 320 px: nothing wider than the phone, no serious accessibility finding.
    row.get_by_role("link", name=reference, exact=True).click()
    tabs.get_by_role("link", name="Contacts").click()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert AXE.is_file(), "axe-core missing: npm ci --prefix tests/e2e"
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    serious = [v["id"] for v in page.evaluate(AXE_RUN) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious
    recorder.assert_clean(site)
