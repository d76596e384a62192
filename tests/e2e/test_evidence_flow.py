"""Evidence in a real browser (issue 9, the first Done-when line): two testimonies of two cases
name the same detention site and corroborate each other in the corroboration view; a
testimony with consent for legal proceedings only goes into a bundle for that purpose (the
internal-only one is not offered), a desk lead approves it as the second pair of eyes, and
the hashes in the PDF's manifest match the files embedded in it."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.core.support import run_passage
from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Persona, Recorder
from tests.e2e.test_contact_log import page, sign_in
from tests.e2e.test_funds_flow import banner, persona_sign_in

__all__ = ["page"]

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"PSG-\d{4}-\d{6}")
LEAD = Persona("e2e-evidence-lead", "copper-lantern-meadow-nine", "caseworker")
LEGAL_STATEMENT = (
    "In March 2017 I was held at the old bakery in Argun for twelve days. "
    "Ruslan, the commander, beat me every night."
)
INTERNAL_STATEMENT = "They kept me in the basement of the old bakery with six other men."

SETUP = """
from passage.accounts.models import Desk, Membership, RoleGrant, TotpDevice, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
desk = Desk.objects.create(name="Evidence desk")
worker = User.objects.get(username={worker!r})
Membership.objects.create(user=worker, desk=desk)
lead = User(username={username!r})
lead.set_password({passphrase!r})
lead.save()
RoleGrant.objects.create(user=lead, role="caseworker")
Membership.objects.create(user=lead, desk=desk, is_lead=True)
TotpDevice(user=lead, secret={secret!r}, confirmed=True).save()
for name in ("First", "Second"):
    case = opening.case_open(desk=desk, actor=worker, person=PersonDetails(chosen_name=name))
    print(case.reference)
"""


@pytest.fixture(scope="module")
def references(site: Site) -> list[str]:
    script = SETUP.format(
        worker=site.username,
        username=LEAD.username,
        passphrase=LEAD.passphrase,
        secret=LEAD.authenticator.secret,
    )
    made = run_passage(site.env, "shell", "-c", script)
    assert made.returncode == 0, made.stderr
    found = REFERENCE.findall(made.stdout)
    assert len(found) == 2, made.stdout
    return found


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (150, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def open_tab(page: Page, site: Site, reference: str) -> None:
    page.goto(site.base_url + "/staff/cases/")
    page.get_by_role("link", name=reference, exact=True).click()
    tabs = page.get_by_role("navigation", name="Case sections")
    tabs.get_by_role("link", name="Testimony").click()


def record(page: Page, text: str, scope: str, body: str = "") -> None:
    page.get_by_role("link", name="Record a testimony").click()
    page.get_by_label("Statement").fill(text)
    page.get_by_label(scope).check()
    if body:
        page.get_by_label("Court or body (legal proceedings)").fill(body)
    page.get_by_label("Consent given on").fill("2017-05-02")
    page.get_by_role("button", name="Record the testimony").click()
    banner(page, "Testimony 1 recorded.")


def step_up_if_asked(page: Page, persona: Persona | Site) -> None:
    if "/staff/step-up/" in page.url:
        page.get_by_label("Code").fill(persona.authenticator.next_code())
        page.get_by_role("button", name="Continue").click()


def test_corroboration_and_a_legal_bundle_with_matching_hashes(
    page: Page, browser: Browser, site: Site, references: list[str]
) -> None:
    first, second = references
    recorder = Recorder(page)
    sign_in(page, site)

    # A coded place, in the Evidence area.
    page.get_by_role("link", name="Evidence").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corroboration")
    page.get_by_role("link", name="Places").click()
    page.get_by_role("link", name="Add a coded place").click()
    page.get_by_label("Kind of place").select_option("detention_site")
    page.get_by_label("What colleagues call it").fill("Old bakery, Argun")
    page.get_by_role("button", name="Add the place").click()
    banner(page, "Unofficial detention site 1 added.")
    expect(page.get_by_text("Old bakery, Argun")).to_have_count(0)  # only the code is listed

    # The first case: legal proceedings only, an incident at the site, a photo.
    open_tab(page, site, first)
    record(page, LEGAL_STATEMENT, "Legal proceedings (a named court or body)", "ECHR")
    page.get_by_role("link", name="Record an incident").click()
    page.get_by_label("Type of violation").select_option("torture")
    page.get_by_label("Place").select_option(label="Unofficial detention site 1")
    page.get_by_label("From").fill("2017-03-01")
    page.locator("#id_date_to").fill("2017-03-12")
    page.get_by_role("button", name="Record the incident").click()
    banner(page, "Incident recorded.")
    page.get_by_role("link", name="Add a file").click()
    page.get_by_label("File").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": photo()}]
    )
    page.get_by_role("button", name="Add the file").click()
    banner(page, "added")
    page.get_by_role("button", name="Read the statement").click()
    expect(page.locator("#statement-text")).to_contain_text("Ruslan")
    page.get_by_label("Wording to remove").fill("Ruslan")
    page.get_by_label("What it is").select_option("name")
    page.get_by_role("button", name="Mark it").click()
    expect(page.locator("#redacted")).to_contain_text("[name], the commander")
    expect(page.locator("#redacted")).not_to_contain_text("Ruslan")

    # The second case: internal use only, naming the same site.
    open_tab(page, site, second)
    record(page, INTERNAL_STATEMENT, "Internal use only")
    page.get_by_role("link", name="Places, perpetrators and incidents it names").click()
    page.get_by_label("Unofficial detention site 1").check()
    page.get_by_role("button", name="Save").click()
    banner(page, "What the testimony describes was saved.")

    # They corroborate each other: two independent testimonies name the site.
    page.get_by_role("link", name="Evidence").first.click()
    places = page.locator("section", has=page.get_by_role("heading", name="Places", exact=True))
    expect(places.locator("tr", has_text="Unofficial detention site 1")).to_contain_text("2")
    expect(page.get_by_text(first)).to_have_count(0)  # counts only, never which cases
    expect(page.get_by_text(second)).to_have_count(0)

    # A bundle for legal proceedings: only the first case's testimony is offered.
    page.get_by_role("link", name="Bundles").click()
    page.get_by_role("link", name="Put a bundle together").click()
    page.get_by_label("Title").fill("Application to the ECHR")
    page.get_by_label("For", exact=True).select_option("legal")
    page.get_by_label("Desk").select_option(label="Evidence desk")
    page.get_by_role("button", name="Create the bundle").click()
    expect(page.get_by_label(f"{first}, testimony 1")).to_be_visible()
    expect(page.get_by_text(f"{second}, testimony 1")).to_have_count(0)
    page.get_by_label(f"{first}, testimony 1").check()
    page.get_by_label("File 1 (Picture)").check()
    page.get_by_role("button", name="Save the contents").click()
    banner(page, "The bundle's contents were saved.")
    bundle_url = page.url
    expect(page.get_by_role("button", name="Download the PDF")).to_have_count(0)
    recorder.assert_clean(site)

    # The desk lead approves (a different person, after step-up).
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        lead = context.new_page()
        lead_recorder = Recorder(lead)
        persona_sign_in(lead, site, LEAD)
        lead.goto(bundle_url)
        lead.get_by_role("link", name="Review and approve").click()
        step_up_if_asked(lead, LEAD)
        expect(lead.locator(".preview-text").first).to_contain_text("[name], the commander")
        expect(lead.get_by_text("ECHR", exact=True)).to_be_visible()  # the court the consent names
        lead.get_by_role("button", name="Approve and make the PDF").click()
        banner(lead, "Bundle approved: the PDF is ready.")
        lead_recorder.assert_clean(site)
    finally:
        context.close()

    # The caseworker downloads it; every hash of the manifest matches what the PDF holds.
    page.goto(bundle_url)
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download the PDF").click()
        step_up_if_asked(page, site)
    download = waiting.value
    path = download.path()
    assert path is not None
    with open(path, "rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    attached = {name: contents[0] for name, contents in reader.attachments.items()}
    manifest = json.loads(attached.pop("manifest.json"))
    assert sorted(attached) == ["file-1.png", "testimony-1.txt"]
    for item in manifest["items"]:
        assert hashlib.sha256(attached[item["name"]]).hexdigest() == item["sha256"]
    items = json.dumps(manifest["items"], sort_keys=True, separators=(",", ":")).encode()
    assert hashlib.sha256(items).hexdigest() == manifest["bundle_sha256"]
    assert "Ruslan" not in attached["testimony-1.txt"].decode()
    assert "twelve days" in attached["testimony-1.txt"].decode()
    expect(page.get_by_text(hashlib.sha256(data).hexdigest())).to_be_visible()

    # The chain of custody: to whom and when it was given.
    page.get_by_role("link", name="Record who received it").click()
    page.get_by_label("Given to").fill("Registry of the European Court of Human Rights")
    page.get_by_label("On", exact=True).fill("2017-06-01")
    page.get_by_role("button", name="Record it").click()
    banner(page, "Recorded in the chain of custody.")
    expect(page.get_by_text("Given out")).to_be_visible()
    expect(page.get_by_text("Registry of the European Court of Human Rights")).to_be_visible()

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    recorder.assert_clean(site)
