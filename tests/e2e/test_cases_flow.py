"""The cases issue's "Done when", in a real browser, each persona a real signed-in user.

1. A partner refers a person; a screener opens the case from the Inbox; a caseworker scores it,
   assigns it and moves it to verification; a verifier records an interview and the outcome
   "Verified"; the caseworker moves it to assessment and asks for relocation approval, which
   they cannot decide themselves; a second verifier approves it (through step-up if asked) and
   the case is "Approved". The partner only ever sees a coarse status.
2. Duplicates: the same person entered twice, in Cyrillic and in Latin letters, is flagged,
   compared side by side and merged; the merged case's reference leads to the one that stays.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.core.support import run_passage
from tests.e2e.conftest import CSP_VIOLATION, Authenticator, Site

pytestmark = pytest.mark.browser

PHONE = 320
DESK = "North Caucasus"
PARTNER_CODE = "NC-NET"
REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")
# Stage words a partner must never see for a referral (only a coarse status).
STAGE_WORDS = re.compile(r"\b(Screening|Verification|Assessment|Approved|In transit)\b")


@dataclass
class Persona:
    username: str
    passphrase: str
    role: str
    on_desk: bool = True
    partner: bool = False
    authenticator: Authenticator = field(init=False)

    def __post_init__(self) -> None:
        # A secret of its own (base32, as an authenticator app takes it), known to the test.
        seed = (self.username * 4).encode()[:20]
        self.authenticator = Authenticator(base64.b32encode(seed).decode())


@dataclass
class Cast:
    partner: Persona
    screener: Persona
    caseworker: Persona
    verifier: Persona
    approver: Persona

    @property
    def everyone(self) -> list[Persona]:
        return [self.partner, self.screener, self.caseworker, self.verifier, self.approver]


@pytest.fixture(scope="module")
def cast(site: Site) -> Cast:
    """A desk, a partner organisation working with it, and one user per persona."""
    people = Cast(
        partner=Persona("e2e-partner", "amber-orchard-lamp-river", "partner", False, True),
        screener=Persona("e2e-screener", "basalt-meadow-kettle-dawn", "screener"),
        caseworker=Persona("e2e-worker", "cedar-lantern-harbour-mist", "caseworker"),
        verifier=Persona("e2e-verifier", "dune-pebble-violet-echo", "verifier"),
        approver=Persona("e2e-approver", "ember-falcon-quartz-willow", "verifier"),
    )
    rows = [
        (p.username, p.passphrase, p.authenticator.secret, p.role, p.on_desk, p.partner)
        for p in people.everyone
    ]
    script = (
        "from passage.accounts.models import (\n"
        "    Desk, Membership, PartnerOrganisation, RoleGrant, TotpDevice, User)\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"org = PartnerOrganisation(code={PARTNER_CODE!r}, name='Regional network', kind='ngo')\n"
        "org.save()\n"
        "org.desks.add(desk)\n"
        f"for username, passphrase, secret, role, on_desk, partner in {rows!r}:\n"
        "    u = User(username=username, partner=org if partner else None)\n"
        "    u.set_password(passphrase)\n"
        "    u.save()\n"
        "    RoleGrant.objects.create(user=u, role=role)\n"
        "    if on_desk:\n"
        "        Membership.objects.create(user=u, desk=desk)\n"
        "    TotpDevice(user=u, secret=secret, confirmed=True).save()\n"
    )
    created = run_passage(site.env, "shell", "-c", script)
    assert created.returncode == 0, created.stderr
    return people


class Recorder:
    """Every request and console message of one page; refused answers (400) are expected."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.console: list[str] = []
        page.on("request", self._on_request)
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def assert_clean(self, site: Site) -> None:
        assert self.requests
        foreign = [url for url in self.requests if not url.startswith(site.origin + "/")]
        assert not foreign, f"requests to another origin: {foreign}"
        assert not [line for line in self.console if CSP_VIOLATION.search(line)], self.console
        unexpected = [
            line
            for line in self.console
            if line.startswith(("error", "pageerror")) and "status of 400" not in line
        ]
        assert not unexpected, unexpected


@dataclass
class Session:
    """One persona signed in, in a browser context of their own."""

    persona: Persona
    page: Page
    recorder: Recorder
    site: Site

    def go(self, path: str) -> None:
        self.page.goto(self.site.base_url + path)

    def nav(self, area: str) -> None:
        self.page.get_by_role("navigation", name="Areas").get_by_role("link", name=area).click()

    def tab(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Case sections").get_by_role(
            "link", name=name
        ).click()
        expect(self.page.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )

    def flash(self, text: str | re.Pattern[str]) -> None:
        expect(self.page.locator(".staff-main > .banner").filter(has_text=text)).to_be_visible()

    def through_step_up(self, target: re.Pattern[str]) -> bool:
        """After following a link to a step-up page: confirm the second factor if asked.

        Returns whether the step-up page was shown (it is not when the sign-in is recent)."""
        page = self.page
        page.wait_for_url(re.compile(rf"/staff/step-up/\?|{target.pattern}"))
        shown = urlsplit(page.url).path == "/staff/step-up/"
        if shown:
            expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
            page.get_by_label("Code").fill(self.persona.authenticator.next_code())
            page.get_by_role("button", name="Continue").click()
        page.wait_for_url(target)
        return shown

    def fits_phone(self) -> None:
        assert self.page.evaluate("document.documentElement.scrollWidth") <= PHONE


class Browsers:
    """One browser context per persona, each signed in through the sign-in page."""

    def __init__(self, browser: Browser, site: Site, stack: ExitStack) -> None:
        self.browser = browser
        self.site = site
        self.stack = stack
        self.sessions: list[Session] = []

    def sign_in(self, persona: Persona, *, width: int = 1280) -> Session:
        """A new context, the sign-in page, the passphrase, then the authenticator's code."""
        context = self.browser.new_context(viewport={"width": width, "height": 900})
        self.stack.callback(context.close)
        page = context.new_page()
        session = Session(persona, page, Recorder(page), self.site)
        self.sessions.append(session)
        base = self.site.base_url
        page.goto(base + "/staff/")
        page.get_by_label("Username").fill(persona.username)
        page.get_by_label("Passphrase").fill(persona.passphrase)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + "/staff/second-factor/")
        page.get_by_label("Code").fill(persona.authenticator.next_code())
        page.get_by_role("button", name="Continue").click()
        if persona.partner:
            # A partner's work is their referrals: home leads straight to the portal.
            page.wait_for_url(base + "/staff/partner/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Your referrals")
        else:
            page.wait_for_url(base + "/staff/home/")
            expect(page.get_by_role("heading", level=1)).to_have_text("My work")
        return session

    def assert_clean(self) -> None:
        """Every page of every persona stayed on our origin, with no CSP violation or error."""
        assert self.sessions
        for session in self.sessions:
            session.recorder.assert_clean(self.site)


@pytest.fixture
def browsers(browser: Browser, site: Site) -> Iterator[Browsers]:
    with ExitStack() as stack:
        yield Browsers(browser, site, stack)


def open_case(session: Session, reference: str) -> None:
    """From the queue (or the case list), follow the case's reference."""
    session.page.get_by_role("link", name=reference, exact=True).click()
    expect(session.page.locator(".case-header .reference")).to_have_text(reference)


def test_referral_to_approved_with_four_eyes(browsers: Browsers, cast: Cast, site: Site) -> None:
    # --- The partner refers a person, from a phone. ---------------------------------------
    partner = browsers.sign_in(cast.partner, width=PHONE)
    page = partner.page
    partner.nav("Referrals")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your referrals")
    page.get_by_role("link", name="Refer a person").click()
    page.wait_for_url(site.base_url + "/staff/partner/refer/")
    partner.fits_phone()
    expect(page.get_by_label("Desk")).to_have_value(re.compile(".+"))  # their one desk
    page.get_by_label("Name they want to be called").fill("Zelimkhan")
    page.get_by_label("Pronouns").fill("he/him")
    page.get_by_label("How urgent is it?").select_option(label="Within days")
    page.get_by_label("Region").fill("Chechnya")
    page.get_by_label("How to reach them").select_option(label="Signal")
    page.get_by_label("Number or handle").fill("+7 928 555 01 23")
    page.get_by_label("What happened and what they fear").fill(
        "Detained for two weeks in the spring; his brothers now look for him."
    )
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url(site.base_url + "/staff/partner/")
    thanks = page.get_by_text(re.compile(r"The referral PSG-\d{4}-\d{6} reached the desk"))
    expect(thanks).to_be_visible()
    found = REFERENCE.search(thanks.inner_text())
    assert found
    reference = found.group(0)
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Received")
    partner.fits_phone()

    # --- The screener opens it for screening from the Inbox. ------------------------------
    screener = browsers.sign_in(cast.screener)
    screener.nav("Inbox")
    expect(screener.page.get_by_role("heading", level=1)).to_have_text("Inbox")
    inbox_row = screener.page.get_by_role("row").filter(has_text=reference)
    expect(inbox_row).to_contain_text("Partner referral")
    expect(inbox_row).to_contain_text(PARTNER_CODE)
    inbox_row.get_by_role("button", name=f"Open {reference} for screening").click()
    screener.flash(f"{reference} is in screening.")
    expect(screener.page.locator(".case-header")).to_contain_text("Screening")
    expect(screener.page.locator(".case-header")).to_contain_text(cast.screener.username)

    # The partner sees that it is being worked on, never the stage.
    page.reload()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Being worked on")
    assert not STAGE_WORDS.search(page.locator("body").inner_text())

    # --- The caseworker, on a phone: queue, triage, assignment, on to verification. -------
    worker = browsers.sign_in(cast.caseworker, width=PHONE)
    wpage = worker.page
    worker.nav("Queue")
    expect(wpage.get_by_role("heading", level=1)).to_have_text("Triage queue")
    queue_row = wpage.get_by_role("row").filter(has_text=reference)
    expect(queue_row).to_contain_text("Screening")
    worker.fits_phone()
    open_case(worker, reference)
    worker.fits_phone()

    worker.tab("Triage")
    wpage.get_by_label("Detained or tortured before (+15)").check()
    wpage.get_by_label("Has dependants (+5)").check()
    wpage.get_by_role("button", name="Save and recompute").click()
    worker.flash("Triage saved; the score is updated.")
    parts = wpage.get_by_role("table")
    expect(parts.locator("caption")).to_have_text("Score 20")
    expect(parts.get_by_role("row", name="Detained or tortured before +15")).to_be_visible()
    expect(parts.get_by_role("row", name="Has dependants +5")).to_be_visible()
    expect(wpage.get_by_text("The score gives the level “Medium”.")).to_be_visible()
    expect(wpage.locator(".case-header")).to_contain_text("score 20")
    expect(wpage.get_by_label("Detained or tortured before (+15)")).to_be_checked()
    worker.fits_phone()

    worker.tab("Summary")
    wpage.get_by_role("link", name="Assign", exact=True).click()
    wpage.get_by_label("Assign to").select_option(label=cast.caseworker.username)
    wpage.get_by_role("button", name="Save").click()
    worker.flash("Assignment saved.")
    expect(wpage.locator(".case-header")).to_contain_text(f"Assignee: {cast.caseworker.username}")

    move_to(worker, "Verification")

    # --- The verifier records an interview, then "Verified". ------------------------------
    verifier = browsers.sign_in(cast.verifier)
    vpage = verifier.page
    verifier.nav("Queue")
    open_case(verifier, reference)
    verifier.tab("Verification")
    vpage.get_by_role("link", name="Interview held").click()
    yesterday = dt.date.today() - dt.timedelta(days=1)  # noqa: DTZ011 -- a calendar date
    vpage.get_by_label("Date of the interview").fill(yesterday.isoformat())
    vpage.get_by_label("How it was held").select_option(label="Video call")
    vpage.get_by_label("Interviewer").select_option(label=cast.verifier.username)
    vpage.get_by_label("What was learned").fill("His account matches the partner's, in detail.")
    vpage.get_by_role("button", name="Record").click()
    verifier.flash("Check recorded.")
    checklist = vpage.get_by_role("table").filter(has_text="Checklist")
    expect(checklist).to_contain_text("Interview held")
    expect(checklist).to_contain_text("Video call")
    vpage.get_by_role("link", name="Record the outcome").click()
    vpage.get_by_label("Verified", exact=True).check()
    vpage.get_by_label("Why").fill("Interview and the partner's account agree.")
    vpage.get_by_role("button", name="Record the outcome").click()
    verifier.flash("Verification outcome recorded.")
    expect(vpage.get_by_text("Outcome: Verified")).to_be_visible()

    # --- The caseworker moves it to assessment and asks for relocation approval. ----------
    worker.tab("Summary")  # a fresh page: the verification is there
    expect(wpage.locator("dl.facts")).to_contain_text("Verified")
    move_to(worker, "Assessment")
    worker.tab("Approvals")
    wpage.get_by_role("link", name="Request relocation approval").click()
    wpage.get_by_label("Why the case is ready").fill("Verified; a visa programme fits his case.")
    wpage.get_by_role("button", name="Request approval").click()
    worker.flash("Relocation approval requested")
    request_panel = wpage.locator("section.panel").filter(has_text="Relocation")
    expect(request_panel).to_contain_text("Waiting for a decision")
    # Not theirs to decide: no Decide button, and a clear reason instead.
    own_request = "You asked for this approval: a different person must decide it."
    expect(request_panel.get_by_text(own_request)).to_be_visible()
    expect(request_panel.get_by_role("link", name="Decide")).to_have_count(0)

    # --- A second, different verifier decides. --------------------------------------------
    approver = browsers.sign_in(cast.approver)
    apage = approver.page
    approver.nav("Queue")
    open_case(approver, reference)
    approver.tab("Approvals")
    decide = apage.locator("section.panel").filter(has_text="Relocation")
    decide_link = decide.get_by_role("link", name="Decide")
    decide_path = decide_link.get_attribute("href")
    assert decide_path and decide_path.endswith("/decide/")

    # Even on the Decide page itself, the requester is refused with the reason.
    worker.go(decide_path)
    worker.through_step_up(re.compile(re.escape(decide_path) + "$"))
    expect(wpage.get_by_role("status").filter(has_text=own_request)).to_be_visible()
    # No decision form is offered to them (a forged POST is refused too: tests/cases/views).
    expect(wpage.get_by_role("button", name="Record the decision")).to_have_count(0)
    expect(wpage.locator(".case-header")).to_contain_text("Assessment")

    decide_link.click()
    approver.through_step_up(re.compile(re.escape(decide_path) + "$"))
    expect(apage.get_by_role("heading", name="Decide: Relocation")).to_be_visible()
    expect(apage.locator("dl.facts")).to_contain_text(cast.caseworker.username)
    expect(apage.locator("dl.facts")).to_contain_text("a visa programme fits his case")
    apage.get_by_label("Approve").check()
    apage.get_by_label("Comment").fill("Checked the checklist and the request: in order.")
    apage.get_by_role("button", name="Record the decision").click()
    approver.flash("Decision recorded.")
    expect(apage.locator(".case-header")).to_contain_text("Approved")
    decided = apage.locator("section.panel").filter(has_text="Relocation")
    expect(decided.locator(".tag")).to_have_text("Approved")
    decided_by = decided.get_by_role("definition").filter(has_text=cast.approver.username)
    expect(decided_by).to_be_visible()

    # The caseworker's page agrees; the timeline names both people.
    worker.tab("Timeline")
    expect(wpage.locator(".case-header")).to_contain_text("Approved")
    timeline = wpage.locator("main ol")
    expect(timeline).to_contain_text("Assessment → Approved")
    expect(timeline).to_contain_text(cast.approver.username)
    worker.fits_phone()

    # --- The partner still sees only "Being worked on". -----------------------------------
    page.reload()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Being worked on")
    assert not STAGE_WORDS.search(page.locator("body").inner_text())
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    expect(page.locator("main")).to_contain_text("Status: Being worked on")
    expect(page.locator("main")).to_contain_text("Nothing of this case is shared")
    assert not STAGE_WORDS.search(page.locator("body").inner_text())
    assert "Zelimkhan" not in page.content()
    partner.fits_phone()
    browsers.assert_clean()


def move_to(session: Session, stage: str) -> None:
    """Summary -> Change stage -> choose ``stage`` -> Move the case."""
    page = session.page
    session.tab("Summary")
    page.get_by_role("link", name="Change stage").click()
    page.get_by_label("Move to").select_option(label=stage)
    page.get_by_role("button", name="Move the case").click()
    session.flash("Stage changed.")
    expect(page.locator(".case-header")).to_contain_text(stage)


def open_new_case(session: Session, name: str, birth_date: str, signal: str = "") -> str:
    """Cases -> Open a case; returns the new case's reference."""
    page = session.page
    session.nav("Cases")
    page.get_by_role("link", name="Open a case", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")
    page.get_by_label("Name they want to be called").fill(name)
    page.get_by_label("Date of birth").fill(birth_date)
    page.get_by_label("How urgent is it?").select_option(label="Within weeks")
    if signal:
        page.locator("#id_channels-0-kind").select_option(label="Signal")
        page.locator("#id_channels-0-value").fill(signal)
    page.get_by_role("button", name="Open the case").click()
    session.flash(re.compile(r"Case PSG-\d{4}-\d{6} opened\."))
    return page.locator(".case-header .reference").inner_text()


def test_duplicate_flagged_compared_and_merged(browsers: Browsers, cast: Cast) -> None:
    worker = browsers.sign_in(cast.caseworker, width=PHONE)
    page = worker.page
    first = open_new_case(worker, "Муслим Исаев", "1994-03-17", signal="+7 928 444 55 66")
    first_url = page.url
    second = open_new_case(worker, "Moslem Isaev", "1994-03-17")
    second_url = page.url
    assert first != second and first_url != second_url

    # The second case's summary shows the possible match with the first.
    match = page.locator("main li").filter(has_text="Possible match with")
    expect(match).to_contain_text(f"Possible match with {first}")
    expect(match).to_contain_text("same name and date of birth")
    worker.fits_phone()
    match.get_by_role("link", name="Compare and merge").click()
    worker.through_step_up(re.compile(r"/duplicates/[0-9a-f-]+/merge/$"))
    expect(page.get_by_role("heading", name="Compare and merge")).to_be_visible()
    sides = page.locator(".compare section.panel")
    expect(sides).to_have_count(2)
    expect(sides.filter(has_text=second)).to_contain_text("Moslem Isaev")
    expect(sides.filter(has_text=first)).to_contain_text("Муслим Исаев")
    expect(sides.filter(has_text=first)).to_contain_text("+7 928 444 55 66")
    for side in (first, second):
        expect(sides.filter(has_text=side)).to_contain_text("17 Mar 1994")

    # Keep the first case (not the one this page was opened from).
    page.get_by_label(first, exact=True).check()
    page.get_by_role("button", name="Merge the two cases").click()
    page.wait_for_url(first_url)
    worker.flash(f"{second} was merged into {first}; both references lead here.")
    expect(page.locator(".case-header .reference")).to_have_text(first)

    # The merged case's reference still leads to the one that stays...
    worker.nav("Cases")
    page.get_by_label("Reference, phone number, handle or name").fill(second)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(first_url)
    expect(page.locator(".case-header .reference")).to_have_text(first)
    # ...and so does its old address.
    worker.page.goto(second_url)
    page.wait_for_url(first_url)
    worker.flash(f"{second} was merged into {first}.")

    worker.tab("Person")
    people = page.locator("main")
    expect(people).to_contain_text("Муслим Исаев")
    expect(people).to_contain_text("Moslem Isaev")
    expect(people).to_contain_text("+7 928 444 55 66")
    worker.fits_phone()
    browsers.assert_clean()
