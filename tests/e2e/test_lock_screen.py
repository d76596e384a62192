"""Nothing typed is lost (issue 5, item 3), in a real browser with a 2-minute idle timeout:
a caseworker types an interview note (the casework app's "Add a note" form), leaves it; a minute
before the timeout a warning appears; at the timeout the page locks (its content is removed,
the server has ended the session and refuses every other request); unlocking with the
passphrase and an authenticator code brings the form back as typed (restored from the
encrypted draft), and saving it works. Every request goes to our own origin."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site, serve_site
from tests.e2e.test_invitation_flow import Recorder

pytestmark = pytest.mark.browser

IDLE_SECONDS = 120  # the shortest idle timeout the settings accept
TYPED = "Interview, second hour: he names the cousin who knows where the flat is. Lock-5823"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(
        tmp_path_factory, {"PASSAGE_SESSION_IDLE_SECONDS": str(IDLE_SECONDS)}
    ) as served:
        yield served


@pytest.fixture(scope="module")
def case_id(site: Site) -> str:
    """A case on the caseworker's desk (opened by them, so they work it), with a first story."""
    script = (
        "from passage.accounts.models import Desk, Membership, User\n"
        "from passage.cases.services import opening\n"
        "from passage.cases.services.people import PersonDetails\n"
        "desk = Desk.objects.create(name='North Caucasus')\n"
        f"u = User.objects.get(username={site.username!r})\n"
        "Membership.objects.create(user=u, desk=desk)\n"
        "case = opening.case_open(desk=desk, actor=u, person=PersonDetails(chosen_name='R.'),"
        " narrative='First contact only.')\n"
        "print(case.pk)\n"
    )
    created = run_passage(site.env, "shell", "-c", script)
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A phone-sized browser (320 px), as in the other staff flows."""
    phone = browser.new_context(viewport={"width": 320, "height": 800})
    yield phone
    phone.close()


def sign_in(page: Page, site: Site) -> None:
    page.goto(site.base_url + "/staff/")
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(site.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(re.escape(site.base_url) + r"/staff/(?!second-factor/).*"))


def test_the_idle_timeout_locks_and_unlocking_brings_the_note_back(
    context: BrowserContext, site: Site, case_id: str
) -> None:
    page = context.new_page()
    recorder = Recorder(page)
    page.clock.install()  # the page's timers run on a clock the test moves
    sign_in(page, site)

    notes = f"{site.base_url}/staff/cases/{case_id}/notes/"
    page.goto(notes)
    note = page.locator("textarea[name=body]")
    note.fill(TYPED)
    status = page.locator(".draft-status")
    page.clock.run_for("00:04")  # the autosave's next tick
    expect(status).to_contain_text(re.compile(r"Saved \d\d:\d\d"))

    warning = page.locator("#session-timeout")
    lock = page.locator("#lock-screen")
    page.clock.run_for("00:55")
    expect(warning).to_be_hidden()
    page.clock.run_for("00:06")  # a minute before the timeout
    expect(warning).to_be_visible()
    expect(lock).to_have_count(0)  # the lock screen is not in the page until it locks
    assert page.locator("input[type=password]").count() == 0
    page.clock.run_for("00:56")  # the timeout (the page locks a few seconds early)
    expect(lock).to_be_visible()
    expect(page.get_by_role("heading", name="This page is locked")).to_be_visible()

    # Nothing of the page is left behind the lock, in view or in the document.
    assert page.locator("textarea").count() == 0
    assert "Lock-5823" not in page.content()
    # The server has ended the session: any other request goes to sign-in.
    refused = page.request.get(site.base_url + "/staff/sessions/", max_redirects=0)
    assert refused.status == 302 and refused.headers["location"].startswith("/staff/?")

    # A wrong code with the right passphrase unlocks nothing.
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Unlock").click()
    expect(lock.get_by_role("alert")).to_contain_text("That code is not right")
    expect(lock).to_be_visible()

    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_label("Code").fill(site.authenticator.next_code())
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url(notes)
    expect(page.locator("#lock-screen")).to_be_hidden()
    expect(page.locator("textarea[name=body]")).to_have_value(TYPED)
    expect(page.get_by_text("Restored your unsaved text.")).to_be_visible()

    page.get_by_role("button", name="Add note").click()
    page.wait_for_url(notes)
    expect(page.get_by_text("Note added.")).to_be_visible()
    expect(page.locator(".notes").get_by_text(TYPED)).to_be_visible()
    # Submitted: the draft is gone, the form is empty again and says nothing was restored.
    page.goto(notes)
    expect(page.locator("textarea[name=body]")).to_have_value("")
    expect(page.get_by_text("Restored your unsaved text.")).to_have_count(0)
    recorder.assert_clean(site)


def test_a_page_whose_session_ended_elsewhere_keeps_what_was_typed(
    context: BrowserContext, site: Site, case_id: str
) -> None:
    """Another tab locked (the session is gone) before this page could save: the page locks
    at its next autosave, and after unlocking sends what was typed, then shows it restored.
    (The story form of the cases app: a second kind of long form.)"""
    page = context.new_page()
    recorder = Recorder(page)
    page.clock.install()
    sign_in(page, site)
    story = f"{site.base_url}/staff/cases/{case_id}/story/edit/"
    page.goto(story)
    page.locator("textarea[name=narrative]").fill(TYPED + " (second tab)")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    ended = page.request.post(
        site.base_url + "/staff/sessions/lock/", form={"csrfmiddlewaretoken": token}
    )
    assert ended.status == 204
    page.clock.run_for("00:04")  # the autosave finds the session over
    expect(page.locator("#lock-screen")).to_be_visible()
    assert page.locator("textarea").count() == 0
    page.get_by_label("Passphrase").fill(site.passphrase)
    page.get_by_label("Code").fill(site.authenticator.next_code())
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("textarea[name=narrative]")).to_have_value(TYPED + " (second tab)")
    expect(page.get_by_text("Restored your unsaved text.")).to_be_visible()
    recorder.assert_clean(site)
