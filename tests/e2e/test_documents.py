"""Documents in a real browser: a caseworker records a person's international passport with a
scan on the case's Documents tab, sees it listed with its expiry, changes it and opens the scan
through the audited button; the tab works at 320 px with no serious accessibility finding, and
every request stays on our origin."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Recorder
from tests.e2e.test_contact_log import page, reference, sign_in
from tests.e2e.test_public_accessibility import AXE, AXE_RUN

__all__ = ["page", "reference"]

pytestmark = pytest.mark.browser

NUMBER = "75 1234567"


def scan_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_a_passport_with_a_scan_on_the_documents_tab(
    page: Page, site: Site, reference: str
) -> None:
    recorder = Recorder(page)
    sign_in(page, site)
    page.goto(site.base_url + "/staff/queue/")
    page.get_by_role("link", name=reference, exact=True).click()
    tabs = page.get_by_role("navigation", name="Case sections")
    tabs.get_by_role("link", name="Documents").click()
    expect(page.get_by_role("heading", name="Documents", level=2)).to_be_visible()

    expires = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=20)
    form = page.locator("form[enctype='multipart/form-data']")
    form.get_by_label("Kind of document").select_option("international_passport")
    form.get_by_label("Have it").check()
    form.get_by_label("Document number").fill(NUMBER)
    form.get_by_label("Issuing country").fill("ru")
    form.get_by_label("Valid until").fill(expires.isoformat())
    form.locator("summary").filter(has_text="Add a scan").click()
    form.get_by_label("File").set_input_files(
        {"name": "passport.png", "mimeType": "image/png", "buffer": scan_png()}
    )
    form.get_by_role("button", name="Record document").click()
    expect(
        page.locator(".staff-main > .banner").filter(has_text="Document recorded.")
    ).to_be_visible()

    row = page.locator("tbody tr").filter(has_text="International passport")
    expect(row).to_contain_text(NUMBER)
    expect(row).to_contain_text("RU")
    expect(row).to_contain_text("in 20 days")

    # Open the scan: a POST that downloads under a neutral name.
    with page.expect_download() as download:
        row.get_by_role("button", name="Open file 1").click()
    assert download.value.suggested_filename.startswith(reference)

    # Change it: the passport is now marked as issued.
    row.get_by_role("link", name="Change").click()
    page.get_by_label("Issued").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".staff-main > .banner").filter(has_text="Document saved.")).to_be_visible()
    expect(page.locator("tbody tr").filter(has_text="International passport")).to_contain_text(
        "Issued"
    )

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert AXE.is_file(), "axe-core missing: npm ci --prefix tests/e2e"
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    serious = [v["id"] for v in page.evaluate(AXE_RUN) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious
    recorder.assert_clean(site)
