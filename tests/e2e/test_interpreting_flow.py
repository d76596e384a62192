"""Interpreters in a real browser: a caseworker opens a case in Chechen and Kabardian (typed, from
the whole of ISO 639) and gives it an interpreter; the interpreter lands on their cases, reads
the story, writes a translation beside it (at phone width too) and gets "not found" on the
case's own pages; the caseworker reads the translation beside the story; once the caseworker
ends the assignment, the interpreter's page of the case is gone. Every request stays on our
origin."""

from __future__ import annotations

import re
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, expect

from tests.core.support import run_passage
from tests.e2e.conftest import CSP_VIOLATION, Site
from tests.e2e.test_cases_flow import PHONE, Persona, Recorder, Session

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
STORY = "Их забрали ночью, я прячусь у родственников."  # noqa: RUF001
ENGLISH = "They were taken at night; I am hiding with relatives."
WORKER = Persona("e2e-interp-worker", "cedar-lantern-harbour-mist", "caseworker")
INTERPRETER = Persona("e2e-interpreter", "fennel-quartz-meadow-lamp", "interpreter", False)


@pytest.fixture(scope="module")
def people(site: Site) -> list[Persona]:
    rows = [
        (p.username, p.passphrase, p.authenticator.secret, p.role, p.on_desk)
        for p in (WORKER, INTERPRETER)
    ]
    script = (
        "from passage.accounts.models import Desk, Membership, RoleGrant, TotpDevice, User\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"for username, passphrase, secret, role, on_desk in {rows!r}:\n"
        "    u = User(username=username)\n"
        "    u.set_password(passphrase)\n"
        "    u.save()\n"
        "    RoleGrant.objects.create(user=u, role=role)\n"
        "    if on_desk:\n"
        "        Membership.objects.create(user=u, desk=desk)\n"
        "    TotpDevice(user=u, secret=secret, confirmed=True).save()\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    return [WORKER, INTERPRETER]


def sign_in(
    browser: Browser, site: Site, stack: ExitStack, persona: Persona, landing: str
) -> Session:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    stack.callback(context.close)
    page = context.new_page()
    session = Session(persona, page, Recorder(page), site)
    page.goto(site.base_url + "/staff/")
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Passphrase").fill(persona.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(persona.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(re.escape(site.base_url) + landing))
    return session


def test_an_interpreter_translates_beside_the_story(
    browser: Browser, site: Site, people: list[Persona]
) -> None:
    with ExitStack() as stack:
        worker = sign_in(browser, site, stack, WORKER, "/staff/(home|my-work)/")
        page = worker.page
        worker.nav("Cases")
        page.get_by_role("link", name="Open a case", exact=True).click()
        page.get_by_label("Name they want to be called").fill("Aslan")
        page.get_by_label("How urgent is it?").select_option(label="Within weeks")
        page.get_by_label("Language for replies").fill("Chechen")
        page.locator("#id_languages").fill("Chechen, kbd, Russian")
        page.get_by_label("What happened and what they fear").fill(STORY)
        page.get_by_role("button", name="Open the case").click()
        worker.flash(re.compile(r"Case PSG-\d{4}-\d{6} opened\."))
        reference = page.locator(".case-header .reference").inner_text()
        case_url = page.url
        expect(page.get_by_text("Reply language")).to_be_visible()
        expect(page.locator("dd", has_text="Chechen")).to_be_visible()

        page.get_by_role("link", name="Give the case an interpreter").click()
        page.get_by_label("Interpreter").select_option(label=INTERPRETER.username)
        page.locator("#id_languages").fill("Chechen, Russian")
        page.get_by_role("button", name="Give the case to them").click()
        worker.flash("Interpreter given to the case.")
        expect(page.get_by_text(f"{INTERPRETER.username}: Chechen, Russian")).to_be_visible()

        interpreter = sign_in(browser, site, stack, INTERPRETER, "/staff/interpret/$")
        ipage = interpreter.page
        expect(ipage.get_by_role("heading", level=1)).to_have_text("Cases I interpret")
        ipage.get_by_role("link", name=reference, exact=True).click()
        expect(ipage.get_by_text(STORY)).to_be_visible()
        ipage.get_by_role("link", name="Add a translation").click()
        ipage.get_by_label("Translated into").fill("English")
        ipage.get_by_label("Translation", exact=True).fill(ENGLISH)
        ipage.get_by_role("button", name="Save").click()
        interpreter.flash("Translation saved.")
        expect(ipage.get_by_text(ENGLISH)).to_be_visible()
        ipage.set_viewport_size({"width": PHONE, "height": 800})
        ipage.reload()
        interpreter.fits_phone()
        assert ipage.goto(case_url).status == 404  # the case's own summary
        assert ipage.goto(case_url + "person/").status == 404

        worker.tab("Person")
        expect(page.get_by_text(ENGLISH)).to_be_visible()
        expect(page.get_by_text(STORY)).to_be_visible()

        worker.tab("Summary")
        page.get_by_role("link", name="End their work on the case").click()
        page.get_by_role("button", name="End their work on the case").click()
        worker.flash("The interpreter no longer sees the case.")
        story_page = (
            site.base_url + "/staff/interpret/" + case_url.rstrip("/").rsplit("/", 1)[1] + "/"
        )
        assert ipage.goto(story_page).status == 404
        ipage.goto(site.base_url + "/staff/interpret/")
        expect(ipage.get_by_text("No case is given to you now.")).to_be_visible()
        worker.recorder.assert_clean(site)
        # The interpreter's console shows the 404s asked for above, and nothing else.
        recorder = interpreter.recorder
        assert not [url for url in recorder.requests if not url.startswith(site.origin + "/")]
        assert not [line for line in recorder.console if CSP_VIOLATION.search(line)]
        errors = [line for line in recorder.console if line.startswith(("error", "pageerror"))]
        assert errors and all("status of 404" in line for line in errors)
