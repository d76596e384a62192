"""Issue 5's "Done when" for admin-defined fields, in a real browser: an admin adds a choice
field to the person section; a caseworker sets it on a case (More details tab); the value is
encrypted at rest (not in the database file or dump, while the choice's label, configuration,
is); the caseworker exports the case and the file holds the field. Every request of both
browsers stays on our origin."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Browsers, Persona, Recorder, Session

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")
LABEL = "UNHCR status"
# The chosen answer carries a marker: it must be in no stored value, only in the definition.
CHOICE = "Registered Qzmarkchoice"
ADMIN = Persona("e2e-fields-admin", "granite-willow-pepper-orbit", "admin", on_desk=False)
WORKER = Persona("e2e-fields-worker", "saffron-canyon-ladder-mint", "caseworker")


@pytest.fixture(scope="module")
def reference(site: Site) -> str:
    """The admin and the caseworker (on the desk), and a case on the desk."""
    rows = [
        (p.username, p.passphrase, p.authenticator.secret, p.role, p.on_desk)
        for p in (ADMIN, WORKER)
    ]
    script = (
        "from passage.accounts.models import Desk, Membership, RoleGrant, TotpDevice, User\n"
        "from passage.cases.services import opening\n"
        "from passage.cases.services.people import PersonDetails\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"for username, passphrase, secret, role, on_desk in {rows!r}:\n"
        "    u = User(username=username)\n"
        "    u.set_password(passphrase)\n"
        "    u.save()\n"
        "    RoleGrant.objects.create(user=u, role=role)\n"
        "    if on_desk:\n"
        "        Membership.objects.create(user=u, desk=desk)\n"
        "        worker = u\n"
        "    TotpDevice(user=u, secret=secret, confirmed=True).save()\n"
        "case = opening.case_open(desk=desk, actor=worker, person=PersonDetails(chosen_name='A'))\n"
        "print(case.reference)\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = REFERENCE.search(made.stdout)
    assert found, made.stdout
    return found.group(0)


@pytest.fixture
def browsers(browser: Browser, site: Site) -> Iterator[Browsers]:
    with ExitStack() as stack:
        yield Browsers(browser, site, stack)


def sign_in(browsers: Browsers, persona: Persona) -> Session:
    """A new context signed in through the pages (landing wherever home sends them)."""
    context = browsers.browser.new_context(viewport={"width": 1280, "height": 900})
    browsers.stack.callback(context.close)
    page = context.new_page()
    session = Session(persona, page, Recorder(page), browsers.site)
    browsers.sessions.append(session)
    page.goto(browsers.site.base_url + "/staff/")
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Passphrase").fill(persona.passphrase)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(browsers.site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(persona.authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/staff/(?!second-factor)"))
    return session


def stored_bytes(site: Site) -> bytes:
    """The whole database as stored: the SQLite file and WAL, or a pg_dump."""
    url = site.env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for this test (postgresql-client)")
        return subprocess.run(
            ["pg_dump", "--no-owner", url], capture_output=True, check=True
        ).stdout
    data_dir = Path(site.env["PASSAGE_DATA_DIR"])
    files = [p for p in data_dir.glob("passage.sqlite3*") if p.is_file()]
    assert files
    return b"".join(p.read_bytes() for p in files)


def stored_value_rows(site: Site) -> str:
    """The raw value column of every stored field value, hex, from the database itself."""
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT value FROM casefields_fieldvalue')\n"
        "    for (v,) in c.fetchall():\n"
        "        print(bytes(v).hex())\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    return made.stdout


def test_admin_adds_a_choice_field_a_caseworker_sets_it_and_the_export_has_it(
    browsers: Browsers, site: Site, reference: str
) -> None:
    # --- The admin adds a choice field to the person section. ------------------------------
    admin = sign_in(browsers, ADMIN)
    page = admin.page
    admin.nav("Admin")
    page.get_by_role("link", name="Fields and checklists").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fields and checklists")
    page.get_by_role("link", name="New field or checklist item").click()
    page.get_by_label("Section").select_option(label="Person")
    page.get_by_label("Choice from a list").check()
    page.get_by_label("Label").fill(LABEL)
    page.get_by_label("Help text").fill("As on the UNHCR letter.")
    page.get_by_label("Choices").fill(f"Mandate refugee\n{CHOICE}\nNot registered")
    page.get_by_role("button", name="Save").click()
    admin.flash("Field added.")
    row = page.get_by_role("row").filter(has_text=LABEL)
    expect(row).to_contain_text("Choice from a list")
    expect(row).to_contain_text("in use")

    # --- The caseworker sets it on the case. ------------------------------------------------
    worker = sign_in(browsers, WORKER)
    wpage = worker.page
    worker.nav("Cases")
    wpage.get_by_role("link", name=reference, exact=True).click()
    expect(wpage.locator(".case-header .reference")).to_have_text(reference)
    worker.tab("More details")
    expect(wpage.get_by_text("not recorded")).to_be_visible()
    wpage.get_by_role("link", name=re.compile(r"^Change")).first.click()
    wpage.get_by_label(LABEL).select_option(label=CHOICE)
    wpage.get_by_role("button", name="Save").click()
    worker.flash("Saved.")
    expect(wpage.locator(".facts")).to_contain_text(CHOICE)

    # --- Encrypted at rest: not in the stored database, though the definition (plain) is. ----
    raw = stored_value_rows(site)
    assert raw.strip(), "no value stored"
    assert CHOICE.encode().hex() not in raw
    everything = stored_bytes(site)
    marker = b"Qzmarkchoice"
    assert everything.count(marker) >= 1  # the definition's choice list (a positive control)
    assert marker.hex().encode() not in everything

    # --- The export holds the field. --------------------------------------------------------
    wpage.get_by_role("link", name="Export this case").click()
    worker.through_step_up(re.compile(r"/export/$"))
    expect(wpage.get_by_role("heading", name="Export this case")).to_be_visible()
    with wpage.expect_download() as info:
        wpage.get_by_role("button", name="Download the file").click()
    download = info.value
    assert download.suggested_filename == f"{reference}.json"
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert document["reference"] == reference
    assert {
        "section": "person",
        "label": LABEL,
        "kind": "choice",
        "value": CHOICE,
        "retired": False,
    } in document["fields"]
    browsers.assert_clean()
