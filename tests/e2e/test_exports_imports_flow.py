"""Issue 9.7 and 9.8 in a real browser against `passage serve` (its worker runs the import):

- a desk lead imports a CSV through the pages (upload, mapping, dry run, import), and the
  progress page follows the background task by reloading itself (no JavaScript needed) until
  the cases are there;
- the same lead asks for a full export sealed to a recipient's key; it is refused until a
  second lead approves it; the downloaded file opens with the recipient's private key only,
  and holds the consenting case.

Every request of both browsers stays on our origin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from passage.exports import envelope
from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Browsers, Persona

pytestmark = pytest.mark.browser

DESK = "North Caucasus"
LEAD = Persona("e2e-lead-one", "quartz-harbour-violet-lantern", "caseworker")
SECOND = Persona("e2e-lead-two", "meadow-ember-falcon-pebble", "caseworker")
PARTNER = "LAW-E2E"
MARK = "Qzimportmark"
CSV = (
    "Type,Key,Name,Country,Note\r\n"
    f"case,K1,{MARK} one,RU,\r\n"
    f"note,K1,,,{MARK} note\r\n"
    f"case,K2,{MARK} two,IR,\r\n"
).encode()


@pytest.fixture(scope="module")
def consenting(site: Site) -> str:
    """Two leads of the desk, a lawyer organisation, and a case whose person consented to
    giving their name, contacts and story to lawyers. Prints the case's reference."""
    rows = [(p.username, p.passphrase, p.authenticator.secret) for p in (LEAD, SECOND)]
    script = (
        "import datetime as dt\n"
        "from passage.accounts.models import (\n"
        "    Desk, Membership, PartnerOrganisation, RoleGrant, TotpDevice, User)\n"
        "from passage.cases.services import consent, opening\n"
        "from passage.cases.services.people import PersonDetails\n"
        f"desk = Desk.objects.create(name={DESK!r})\n"
        f"PartnerOrganisation.objects.create(code={PARTNER!r}, name='Lawyer', kind='lawyer')\n"
        "leads = []\n"
        f"for username, passphrase, secret in {rows!r}:\n"
        "    u = User(username=username)\n"
        "    u.set_password(passphrase)\n"
        "    u.save()\n"
        "    RoleGrant.objects.create(user=u, role='caseworker')\n"
        "    Membership.objects.create(user=u, desk=desk, is_lead=True)\n"
        "    TotpDevice(user=u, secret=secret, confirmed=True).save()\n"
        "    leads.append(u)\n"
        "case = opening.case_open(desk=desk, actor=leads[0],\n"
        "    person=PersonDetails(chosen_name='Consenting person'), narrative='The story')\n"
        "consent.consent_record(case=case, recipient_kind='lawyer',\n"
        "    sections=['person', 'narrative'], given_on=dt.date.today() - dt.timedelta(days=1),\n"
        "    how_given='in writing', actor=leads[0])\n"
        "print(case.reference)\n"
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = re.search(r"PSG-\d{4}-\d{6}", made.stdout)
    assert found, made.stdout
    return found.group(0)


@pytest.fixture
def browsers(browser: Browser, site: Site) -> Iterator[Browsers]:
    with ExitStack() as stack:
        yield Browsers(browser, site, stack)


def test_import_then_a_full_export_with_a_second_approver(
    browsers: Browsers, site: Site, consenting: str, tmp_path: Path
) -> None:
    lead = browsers.sign_in(LEAD)
    page = lead.page

    # --- Import: upload, mapping, dry run, import with its progress page. -----------------
    lead.nav("Imports")
    page.get_by_role("link", name="New import").click()
    lead.through_step_up(re.compile(r"/staff/imports/new/$"))
    page.get_by_label("The spreadsheet (CSV or XLSX)").set_input_files(
        {"name": "cases.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Upload and choose the columns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the columns hold")
    # One select per column, labelled by the column's name, in the file's order.
    for index, (column, target) in enumerate(
        [
            ("Type", "record_type"),
            ("Key", "case_key"),
            ("Name", "person.chosen_name"),
            ("Country", "case.country"),
            ("Note", "note.body"),
        ]
    ):
        expect(page.locator(f"label[for=id_col_{index}]")).to_contain_text(column)
        page.locator(f"#id_col_{index}").select_option(target)
    page.get_by_label("Save this mapping as").fill("Old spreadsheet")
    page.get_by_role("button", name="Check every row").click()
    expect(page.get_by_text("Every row passed the check.").first).to_be_visible()
    page.get_by_role("button", name="Import now").click()
    # The page reloads itself (meta refresh) until the worker has made the cases.
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_text("Imported", exact=True)).to_be_visible(timeout=60_000)
    expect(
        page.get_by_text("2 cases, 1 notes, 0 contacts and 0 files made so far.")
    ).to_be_visible()
    assert MARK not in page.content()

    # --- A full export: asked, refused until a second lead approves, sealed to the key. ----
    public, private = envelope.key_pair()
    lead.nav("Exports")
    page.get_by_role("link", name="Ask for a full export").click()
    lead.through_step_up(re.compile(r"/staff/exports/full/new/$"))
    page.get_by_label("Desk").select_option(label=DESK)
    page.get_by_label("Who receives it").select_option(label=PARTNER)
    page.get_by_label("Name, pronouns and languages").check()
    page.get_by_label("What happened and what they fear").check()
    page.get_by_label("The recipient's public key").fill(public)
    page.get_by_role("button", name="Ask for approval").click()
    lead.flash("Asked. A second person must now approve the export.")
    expect(page.get_by_text("Waiting for a second person with the permission")).to_be_visible()
    assert page.get_by_role("button", name="Approve and build").count() == 0
    export_url = page.url

    second = browsers.sign_in(SECOND)
    spage = second.page
    second.nav("Exports")
    spage.get_by_role("link", name=re.compile(r"Full export of North Caucasus")).click()
    spage.get_by_role("button", name="Approve and build").click()
    second.through_step_up(re.compile(r"/staff/exports/[0-9a-f-]+/"))
    if spage.get_by_role("button", name="Approve and build").count():
        spage.get_by_role("button", name="Approve and build").click()  # after the step-up
    second.flash("Approved: the file is sealed for the recipient.")
    expect(spage.get_by_text("Ready to download")).to_be_visible()

    page.goto(export_url)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the sealed file").click()
    download = info.value
    assert download.suggested_filename.endswith(".psgx")
    sealed = Path(download.path()).read_bytes()
    _other_public, other_private = envelope.key_pair()
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_envelope(sealed, envelope.parse_key(other_private))
    text = envelope.open_envelope(sealed, envelope.parse_key(private)).decode()
    assert consenting in text
    assert "Consenting person" in text and "The story" in text
    assert MARK not in text  # the imported cases gave no consent: left out
    browsers.assert_clean()
