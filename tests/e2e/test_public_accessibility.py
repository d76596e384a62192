"""The public pages are light and accessible (issue "Light and accessible").

1. axe-core (from the npm registry, installed for the tests only by `npm ci` in tests/e2e, see
   scripts/test-suite; never shipped) runs on every public page: help (plain, with errors, with
   the proxy warning), receipt, story with errors, mailbox, signed out, mailbox sign-in (plain and
   with an error), delete, deleted, privacy, the 404 page and the busy page; in English, Russian,
   Arabic and Persian (right to left), on a desktop and at 320 px wide. No violation may be
   "serious" or "critical". On each page "Leave quickly" is visible and first in tab order, and
   nothing is wider than the screen.
2. The help page weighs under 60 KB over the wire, everything it loads counted (HTML, CSS,
   script, icon), and loads no web font.

axe is put into the page with Playwright's evaluate, which runs through the DevTools protocol
and so is not subject to the page's Content-Security-Policy (which forbids inline scripts):
the pages are checked with the CSP they really have.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from tests.e2e.conftest import Site, serve_site

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ["en", "ru", "ar", "fa"]
RTL = {"ar", "fa"}
PHONE, DESKTOP = 320, 1280
WIDTHS = [DESKTOP, PHONE]
BLOCKING = {"serious", "critical"}
HELP_PAGE_BUDGET = 60_000  # bytes over the wire, headers included


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is not installed at {AXE}: run `npm ci --prefix tests/e2e` "
            "(scripts/test-suite does it before the tests)."
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """This module's installation takes the client's address from X-Forwarded-For and allows
    one form post a minute per address: a page that sends the header (no other does) soon gets
    the busy page (429). Without the header the address is unknown and only global limits apply.
    """
    extra = {
        "PASSAGE_CLIENT_ADDRESS": "x-forwarded-for",
        "PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE": "1",
    }
    with serve_site(tmp_path_factory, extra) as served:
        yield served


AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html,
                               summary: n.failureSummary })),
  }));
}"""

FIRST_FOCUSABLE = """() => {
  const all = document.querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
  return all.length ? all[0].id : null;
}"""


@dataclass
class Audit:
    """axe's findings, page by page and width by width, for one language."""

    lang: str
    axe_source: str
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def check(self, page: Page, label: str) -> None:
        """The page as it is, on a desktop and at 320 px wide (the same document, resized)."""
        page.wait_for_load_state("load")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", self.lang)
        expect(html).to_have_attribute("dir", "rtl" if self.lang in RTL else "ltr")
        # "Leave quickly": visible, and the first thing a keyboard reaches.
        first_focusable = page.evaluate(FIRST_FOCUSABLE)
        assert first_focusable == "quick-exit", f"{label} [{self.lang}]: first is {first_focusable}"
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(self.axe_source + "\n;0")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            where = self.where(label, width)
            # At the top of the screen, wherever the page is scrolled (an error summary that
            # takes the focus scrolls the page; the bar is sticky so it stays in view).
            expect(page.locator("#quick-exit"), where).to_be_visible()
            for scroll in ("0", "document.documentElement.scrollHeight"):
                top = page.evaluate(
                    f"window.scrollTo(0, {scroll}),"
                    " document.getElementById('quick-exit').getBoundingClientRect().top"
                )
                assert 0 <= top < 40, f"{where}: 'Leave quickly' is {top} px from the screen top"
            if width == PHONE:
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                assert scroll_width <= PHONE, f"{where}: {scroll_width} px wide"
            self.findings[where] = page.evaluate(AXE_RUN)

    def where(self, label: str, width: int) -> str:
        return f"{label} [{self.lang}, {width} px]"

    def report(self, impacts: set[str] | None = None) -> str:
        lines = []
        for where, violations in self.findings.items():
            for violation in violations:
                if impacts is not None and violation["impact"] not in impacts:
                    continue
                lines.append(
                    f"{where}: {violation['impact']} {violation['id']}: "
                    f"{violation['help']} ({violation['url']})"
                )
                for node in violation["nodes"][:5]:
                    lines.append(f"    {node['target']}: {node['html'][:160]}")
                    lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
        return "\n".join(lines)


def submit(page: Page, action: str) -> None:
    page.locator(f"form[action='{action}'] button[type=submit]").first.click()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_passes_axe(
    browser: Browser, site: Site, axe_source: str, lang: str
) -> None:
    base = f"{site.base_url}/{lang}"
    audit = Audit(lang, axe_source)
    context = browser.new_context(locale=lang, viewport={"width": DESKTOP, "height": 900})
    try:
        walk(context, base, lang, audit)
    finally:
        context.close()
    everything = audit.report()
    if everything:
        print(f"\naxe violations [{lang}] (all impacts):\n{everything}")
    blocking = audit.report(BLOCKING)
    assert not blocking, "serious or critical accessibility violations:\n" + blocking


def walk(context: BrowserContext, base: str, lang: str, audit: Audit) -> None:
    """Every public page, in the order a person meets them."""
    page = context.new_page()

    page.goto(base + "/")
    audit.check(page, "help")
    submit(page, f"/{lang}/request/")  # nothing chosen
    page.wait_for_url(base + "/request/")
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "help, with errors")

    page.locator("#id_country").select_option("TR")
    page.locator("input[name=urgency][value=weeks]").check()
    submit(page, f"/{lang}/request/")
    expect(page.locator("p.codename")).to_be_visible()
    audit.check(page, "receipt")
    codename = page.locator("p.codename").inner_text().strip()

    page.locator("#id_contact_kind").select_option("telegram")  # and no username: an error
    page.locator("#id_happened").fill("...")
    submit(page, f"/{lang}/story/")
    page.wait_for_url(base + "/story/")
    expect(page.locator(".field--error")).to_have_count(1)
    audit.check(page, "story, with errors")

    page.goto(base + "/mailbox/")
    expect(page.locator(".contact-phrase")).to_be_visible()
    audit.check(page, "mailbox")
    submit(page, f"/{lang}/mailbox/sign-out/")
    page.wait_for_url(base + "/mailbox/sign-out/")
    audit.check(page, "signed out")

    page.goto(base + "/mailbox/")
    audit.check(page, "mailbox sign-in")
    page.locator("#id_codename").fill("not my codename at all")
    submit(page, f"/{lang}/mailbox/")
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "mailbox sign-in, with an error")
    page.locator("#id_codename").fill(codename)
    submit(page, f"/{lang}/mailbox/")
    expect(page.locator(".contact-phrase")).to_be_visible()
    page.goto(base + "/mailbox/delete/")
    audit.check(page, "delete")
    submit(page, f"/{lang}/mailbox/delete/")
    page.wait_for_url(base + "/mailbox/delete/")
    expect(page.locator("form[action$='/delete/']")).to_have_count(0)
    audit.check(page, "deleted")

    page.goto(base + "/privacy/")
    audit.check(page, "privacy")
    missing = page.goto(base + "/no-such-page/")
    assert missing is not None and missing.status == 404
    audit.check(page, "404")

    # A data-saving proxy browser (Opera Mini): the help page warns before anything is typed.
    proxied = context.new_page()
    proxied.set_extra_http_headers({"X-OperaMini-Phone-UA": "Nokia"})
    proxied.goto(base + "/")
    expect(proxied.locator(".banner--warning")).to_be_visible()
    audit.check(proxied, "help, proxy warning")

    # The busy page: the first step sent again and again from one known address (the minute's
    # one post may be left, or a new minute begin).
    busy = context.new_page()
    address = f"203.0.113.{LANGUAGES.index(lang) + 1}"
    busy.set_extra_http_headers({"X-Forwarded-For": address})
    for _attempt in range(3):
        busy.goto(base + "/")
        busy.locator("#id_country").select_option("TR")
        busy.locator("input[name=urgency][value=weeks]").check()
        with busy.expect_response(base + "/request/") as answer:
            submit(busy, f"/{lang}/request/")
        if answer.value.status != 200:
            break
    assert answer.value.status == 429
    assert answer.value.headers.get("retry-after")
    audit.check(busy, "busy")


@dataclass
class Loaded:
    url: str
    resource_type: str
    status: int
    body: int  # decoded
    wire: int  # as transferred: headers and (possibly compressed) body


@pytest.mark.parametrize("lang", ["ru", "ar", "en"])
def test_help_page_weighs_under_60_kb(browser: Browser, site: Site, lang: str) -> None:
    # A fresh context: an empty cache, as on a first visit.
    context = browser.new_context(locale=lang, viewport={"width": PHONE, "height": 800})
    try:
        page = context.new_page()
        responses: list[Response] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"{site.base_url}/{lang}/", wait_until="load")
        page.wait_for_load_state("networkidle")
        loaded = []
        for response in responses:
            sizes = response.request.sizes()
            loaded.append(
                Loaded(
                    url=response.url,
                    resource_type=response.request.resource_type,
                    status=response.status,
                    body=len(response.body()),
                    wire=sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0),
                )
            )
        # Headless Chromium does not fetch icons: count the page's own one as a browser would.
        fetched = {item.url for item in loaded}
        for href in page.eval_on_selector_all(
            "link[rel~=icon]", "links => links.map(link => link.href)"
        ):
            if href not in fetched:
                icon = page.request.get(href)
                assert icon.ok, href
                headers = sum(len(k) + len(v) + 4 for k, v in icon.headers.items()) + 20
                loaded.append(Loaded(href, "icon", icon.status, len(icon.body()), 0))
                loaded[-1].wire = headers + len(icon.body())
    finally:
        context.close()

    table = "\n".join(
        f"  {item.status} {item.resource_type:10} {item.body:7} B body {item.wire:7} B wire  "
        f"{item.url}"
        for item in loaded
    )
    total_wire = sum(item.wire for item in loaded)
    total_body = sum(item.body for item in loaded)
    print(f"\n/{lang}/: {total_body} B of bodies, {total_wire} B over the wire\n{table}")
    assert all(item.url.startswith(site.origin + "/") for item in loaded), table
    assert all(item.status == 200 for item in loaded), table
    fonts = [
        item.url
        for item in loaded
        if item.resource_type == "font"
        or item.url.split("?")[0].endswith((".woff", ".woff2", ".ttf", ".otf", ".eot"))
    ]
    assert not fonts, f"web fonts loaded: {fonts}"
    assert max(total_wire, total_body) < HELP_PAGE_BUDGET, table
