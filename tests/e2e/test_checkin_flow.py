"""Check-ins in a real browser: the person, signed in to the mailbox with JavaScript off, sees
when to check in, types the duress word and gets the same thank-you page as for any word; the
mailbox looks as before. On the console the case is frozen with a duress banner on its Safety
tab, where the caseworker dismisses it as a false alarm. Every request stays on our origin."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Recorder
from tests.e2e.test_contact_log import page, sign_in
from tests.e2e.test_public_flow import first_step

__all__ = ["page"]

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")
CHECKIN_WORD = "sunflower"
DURESS_WORD = "umbrella"


@pytest.fixture(scope="module")
def person_page(browser: Browser) -> Iterator[Page]:
    """The person's phone: narrow, JavaScript off."""
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_case(site: Site) -> tuple[str, str]:
    """The screener (the site's user) opens a case from the request, takes it, turns check-ins
    on and sets the words agreed on a call; returns the reference and the case id."""
    script = (
        "from passage.accounts.models import Desk, Membership, RoleGrant, User\n"
        "from passage.cases.services import assignment\n"
        "from passage.intake.models import HelpRequest\n"
        "from passage.intake.services import screening\n"
        "from passage.safety.services import checkins\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"user = User.objects.get(username={site.username!r})\n"
        "RoleGrant.objects.create(user=user, role='screener')\n"
        "Membership.objects.create(user=user, desk=desk)\n"
        "request = HelpRequest.objects.get()\n"
        "case = screening.request_open_case(request=request, actor=user, desk=desk)\n"
        "assignment.case_assign(case=case, assignee=user, actor=user)\n"
        "checkins.schedule_set(case=case, active=True, override_hours=None, actor=user)\n"
        f"checkins.words_set(case=case, checkin_word={CHECKIN_WORD!r}, "
        f"duress_word={DURESS_WORD!r}, actor=user)\n"
        "print(case.reference, case.pk)\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = re.search(r"(PSG-\d{4}-\d{6}) ([0-9a-f-]{36})", made.stdout)
    assert found, made.stdout
    return found.group(1), found.group(2)


def mailbox_text(page: Page) -> str:
    return page.locator("main").inner_text()


def test_a_duress_checkin_in_the_browser(page: Page, person_page: Page, site: Site) -> None:
    person = Recorder(person_page)
    codename = first_step(person_page, site, "en")
    reference, case_id = open_case(site)

    # The person signs in later (the browser closed since) and sees when to check in.
    person_page.context.clear_cookies()
    person_page.goto(site.base_url + "/en/mailbox/")
    person_page.get_by_label("Your codename").fill(codename)
    person_page.locator("form[action='/en/mailbox/'] button[type=submit]").click()
    expect(person_page.get_by_text("Please check in again before")).to_be_visible()
    before = mailbox_text(person_page)

    # The duress word: the same thank-you page as any word.
    person_page.get_by_label("Your check-in word").fill(DURESS_WORD)
    person_page.locator("form[action='/en/mailbox/check-in/'] button[type=submit]").click()
    expect(person_page.get_by_text("Thank you, your check-in was received.")).to_be_visible()
    assert DURESS_WORD not in person_page.url

    # The console side opens it (the worker does within seconds; run the jobs now).
    ran = run_passage(site.env, "periodic")
    assert ran.returncode == 0, ran.stdout + ran.stderr

    # The mailbox carries on looking normal: only the next-due date moved.
    person_page.get_by_role("link", name="Back to your mailbox").click()
    after = mailbox_text(person_page)
    strip = re.compile(r"Please check in again before [^\n]+")
    assert strip.sub("", after) == strip.sub("", before)
    for word in ("duress", "frozen", "alert", "Warning word:"):
        assert word not in after.split("Choose or change your words")[0]
    person.assert_clean(site)

    # The caseworker sees the frozen case and the duress banner, and dismisses it.
    staff = Recorder(page)
    sign_in(page, site)
    page.goto(f"{site.base_url}/staff/cases/{case_id}/safety/")
    expect(page.locator("h1")).to_contain_text(reference)
    banner = page.locator(".banner--danger").filter(has_text="Duress signal:")
    expect(banner).to_be_visible()
    banner.get_by_role("link", name="Confirm or dismiss").click()
    page.get_by_label("Dismiss as a false alarm (unfreezes the case)").check()
    page.get_by_label("How you know").fill("Called back on Signal: they typed the wrong word.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.locator(".banner--danger").filter(has_text="Duress signal:")).to_have_count(0)
    expect(page.get_by_text("Dismissed as a false alarm").first).to_be_visible()
    staff.assert_clean(site)
