"""A drill end to end, in a real browser with JavaScript off, on a real installation whose own
worker sends the push: the desk lead starts a drill; the person on call (the lead here) gets
"1 new critical alert" on their webhook (a real local HTTP server) and nothing else; the alert
is pinned atop every staff page until acknowledged from the banner; the drills page then shows
how long acknowledgement took."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.alerts.helpers import Webhook, webhook_server
from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_contact_log import sign_in

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
BANNER = "section.pinned-alerts"


@pytest.fixture(scope="module")
def hook() -> Iterator[Webhook]:
    with webhook_server() as served:
        yield served


@pytest.fixture(scope="module")
def on_call_lead(site: Site, hook: Webhook) -> str:
    """The site's user leads the desk, is on call for it now, and gets pushes by webhook."""
    script = (
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "from passage.accounts.models import Desk, Membership, RoleGrant, User\n"
        "from passage.alerts import rota\n"
        "from passage.alerts.models import OnCallShift\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"user = User.objects.get(username={site.username!r})\n"
        "Membership.objects.create(user=user, desk=desk, is_lead=True)\n"
        "admin = User.objects.create(username='e2e-admin')\n"
        "RoleGrant.objects.create(user=admin, role='admin')\n"
        f"rota.destination_set(user=user, webhook_url={hook.url('/lead')!r}, email='', "
        "actor=admin)\n"
        "now = timezone.now()\n"
        "OnCallShift.objects.create(desk=desk, user=user, starts_at=now - dt.timedelta(hours=1), "
        "ends_at=now + dt.timedelta(hours=8))\n"
        "print('ready')\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    return site.username


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    try:
        yield context.new_page()
    finally:
        context.close()


def wait_for_push(hook: Webhook) -> None:
    """Wait for the site's worker to push (an event the webhook sets), at most a minute."""
    assert hook.arrived.wait(timeout=60), "the worker did not push"


def test_a_drill_is_pushed_pinned_acknowledged_and_timed(
    page: Page, site: Site, hook: Webhook, on_call_lead: str
) -> None:
    sign_in(page, site)
    page.goto(site.base_url + "/staff/alerts/drills/")
    expect(page.locator("body")).to_contain_text("No drills yet")
    page.get_by_label("Desk").select_option(label=DESK)
    page.get_by_role("button", name="Start a drill").click()
    expect(page.locator(".staff-main")).to_contain_text("Drill started")

    wait_for_push(hook)
    [push] = hook.received
    assert push.path == "/lead"
    assert push.body == b"1 new critical alert"

    # Pinned on every staff page, with a word (not only colour), until acknowledged.
    for path in ("/staff/home/", "/staff/alerts/on-call/"):
        page.goto(site.base_url + path)
        banner = page.locator(BANNER)
        expect(banner).to_contain_text("Critical")
        expect(banner).to_contain_text("Drill: a test critical alert")
    page.locator(BANNER).get_by_role("button", name="Acknowledge").click()
    expect(page).to_have_url(site.base_url + "/staff/alerts/on-call/")
    expect(page.locator(BANNER)).to_have_count(0)
    page.goto(site.base_url + "/staff/home/")
    expect(page.locator(BANNER)).to_have_count(0)

    page.goto(site.base_url + "/staff/alerts/drills/")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text(DESK)
    expect(row).to_contain_text(" s)")  # the acknowledgement time, in seconds
    expect(row).not_to_contain_text("Not yet acknowledged")
    assert len(hook.received) == 1  # acknowledged: no escalation push
