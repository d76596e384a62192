"""The staff console in another language, in a real browser (issue 9.9): a caseworker chooses
Arabic on the language page; the console turns right-to-left and Arabic, stays usable at
320 px with no serious accessibility finding, and Russian works the same way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site
from tests.e2e.test_cases_flow import Recorder
from tests.e2e.test_contact_log import page, sign_in
from tests.e2e.test_public_accessibility import AXE, AXE_RUN

__all__ = ["page"]

pytestmark = pytest.mark.browser


def choose(page: Page, site: Site, native_name: str) -> None:
    page.goto(site.base_url + "/staff/language/")
    page.get_by_label(native_name).check()
    page.locator("form").filter(has=page.get_by_label(native_name)).get_by_role("button").click()


def test_the_console_in_arabic_then_russian(page: Page, site: Site) -> None:
    recorder = Recorder(page)
    sign_in(page, site)
    choose(page, site, "العربية")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    page.goto(site.base_url + "/staff/queue/")
    expect(page.get_by_role("heading", name="قائمة الفرز", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="تسجيل الخروج")).to_be_visible()

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert AXE.is_file(), "axe-core missing: npm ci --prefix tests/e2e"
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    serious = [v["id"] for v in page.evaluate(AXE_RUN) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious

    page.set_viewport_size({"width": 1280, "height": 900})
    choose(page, site, "Русский")
    expect(html).to_have_attribute("dir", "ltr")
    page.goto(site.base_url + "/staff/queue/")
    expect(page.get_by_role("heading", name="Очередь сортировки", level=1)).to_be_visible()
    recorder.assert_clean(site)
