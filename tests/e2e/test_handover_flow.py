"""Workload's "Done when", in a real browser: a desk lead reassigns a leaver's 40 cases in one
action, and each reassignment is in the audit log. Then the queue's keyboard shortcuts: j / k
move, o opens, a assigns to me, and nothing is intercepted while typing in a field."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Browsers, Persona

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
CASES = 40


@pytest.fixture(scope="module")
def people(site: Site) -> dict[str, Persona]:
    """A desk with its lead, a leaver with 40 open cases and a colleague who receives them."""
    cast = {
        "lead": Persona("e2e-lead", "granite-heron-maple-tide", "caseworker"),
        "leaver": Persona("e2e-leaver", "harbor-thistle-ochre-wren", "caseworker"),
        "receiver": Persona("e2e-receiver", "indigo-bramble-sextant-fog", "caseworker"),
    }
    rows = [(k, p.username, p.passphrase, p.authenticator.secret) for k, p in cast.items()]
    script = (
        "from passage.accounts.models import Desk, Membership, RoleGrant, TotpDevice, User\n"
        "from passage.cases.services import assignment, opening\n"
        "from passage.cases.services.people import PersonDetails\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        "users = {}\n"
        f"for key, username, passphrase, secret in {rows!r}:\n"
        "    u = User(username=username)\n"
        "    u.set_password(passphrase)\n"
        "    u.save()\n"
        "    RoleGrant.objects.create(user=u, role='caseworker')\n"
        "    Membership.objects.create(user=u, desk=desk, is_lead=key == 'lead')\n"
        "    TotpDevice(user=u, secret=secret, confirmed=True).save()\n"
        "    users[key] = u\n"
        f"for i in range({CASES}):\n"
        "    case = opening.case_open(desk=desk, actor=users['leaver'],\n"
        "        person=PersonDetails(chosen_name=f'Leaver Person {i:02d}'), channels=[])\n"
        "    assignment.case_assign(case=case, assignee=users['leaver'], actor=users['leaver'])\n"
    )
    created = run_passage(site.env, "shell", "-c", script)
    assert created.returncode == 0, created.stderr
    return cast


@pytest.fixture
def browsers(browser: Browser, site: Site) -> Iterator[Browsers]:
    with ExitStack() as stack:
        yield Browsers(browser, site, stack)


def audit_count(site: Site, action: str, actor: str) -> int:
    script = (
        "from passage.audit.models import AuditEntry\n"
        "from passage.accounts.models import User\n"
        f"u = User.objects.get(username={actor!r})\n"
        f"print(AuditEntry.objects.filter(action={action!r}, actor=f'user:{{u.pk}}').count())\n"
    )
    found = run_passage(site.env, "shell", "-c", script)
    assert found.returncode == 0, found.stderr
    return int(found.stdout.strip().splitlines()[-1])


def test_a_desk_lead_hands_over_forty_cases_in_one_action(
    browsers: Browsers, people: dict[str, Persona], site: Site
) -> None:
    lead = browsers.sign_in(people["lead"])
    page = lead.page
    lead.nav("Workload")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Workload of {DESK}")
    expect(page.get_by_role("row", name=re.compile(r"e2e-leaver 40\b"))).to_be_visible()
    page.get_by_role("link", name="Hand over someone's cases").click()
    page.get_by_label("Whose cases").select_option(label="e2e-leaver")
    page.get_by_role("button", name="Show their open cases").click()
    boxes = page.locator('input[type="checkbox"][name="cases"]')
    expect(boxes).to_have_count(CASES)
    assert boxes.evaluate_all("boxes => boxes.every(b => b.checked)")  # all ticked
    page.get_by_label("Give them to").select_option(label="e2e-receiver")
    page.get_by_label("Handover note").fill("Leaving on Friday: all contacts are up to date.")
    before = audit_count(site, "case.assigned", "e2e-lead")
    page.get_by_role("button", name="Hand over the ticked cases").click()  # the one action
    lead.flash(f"{CASES} case(s) of e2e-leaver handed over.")
    expect(page.get_by_role("row", name=re.compile(rf"e2e-receiver {CASES}\b"))).to_be_visible()
    shots = os.environ.get("PASSAGE_E2E_SCREENSHOTS")  # a folder, to look at the pages
    if shots:
        page.screenshot(path=f"{shots}/workload.png", full_page=True)
    assert audit_count(site, "case.assigned", "e2e-lead") - before == CASES
    # Usable on a phone: the workload page and the handover page fit 320 px.
    page.set_viewport_size({"width": 320, "height": 800})
    lead.fits_phone()
    page.get_by_role("link", name="Hand over someone's cases").click()
    lead.fits_phone()
    if shots:
        page.screenshot(path=f"{shots}/handover-320.png")
    browsers.assert_clean()


def test_queue_shortcuts_move_open_and_assign_but_never_while_typing(
    browsers: Browsers, people: dict[str, Persona], site: Site
) -> None:
    lead = browsers.sign_in(people["lead"])
    page = lead.page
    lead.nav("Queue")
    expect(page.get_by_text("Keyboard shortcuts")).to_be_visible()
    rows = page.locator("tr[data-queue-row]")
    page.locator("body").press("j")
    expect(rows.nth(0)).to_have_class(re.compile("is-current"))
    page.locator("body").press("j")
    expect(rows.nth(1)).to_have_class(re.compile("is-current"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("is-current"))
    reference = rows.nth(0).locator("a.reference").inner_text()
    # Typing in a field is left alone: no row moves, no page opens.
    field = page.locator("input:visible, select:visible").first
    field.focus()
    page.keyboard.press("j")
    page.keyboard.press("o")
    assert "/staff/queue/" in page.url
    expect(rows.nth(0)).to_have_class(re.compile("is-current"))
    # a: assign the chosen case to me (the row's own button, a real form post).
    rows.nth(0).locator("a.reference").focus()
    page.keyboard.press("a")
    lead.flash(f"{reference} is assigned to you.")
    # o: open it.
    page.locator("body").press("j")
    page.keyboard.press("o")
    expect(page.locator(".case-header .reference")).to_be_visible()
    browsers.assert_clean()
