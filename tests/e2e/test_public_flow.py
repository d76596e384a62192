"""The public intake's "Done when", in a real browser: a person writes in Russian with JavaScript
off, a screener answers from the console, the person answers back.

1. Russian, JavaScript disabled: the first step gives a codename in Cyrillic; the story (with a
   photo carrying GPS coordinates and a marker in its EXIF description) goes in the second step;
   the person signs out and back in with the codename. A screener (own context, JavaScript on)
   opens the request from the inbox, sees the story and the photo (downloaded: no EXIF left),
   replies; the person reads the reply with JavaScript still off and answers; the screener sees
   the answer. Every request of the public pages went to the page's own origin, and the marker
   and the codename are nowhere in the data directory or the server's logs.
2. A story sent after the mailbox session ended comes back as typed, asking for the codename.

Sentences are not asserted (translations are written separately, and a test elsewhere checks
them): ids, names, roles and data are.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

from tests.core.support import run_passage
from tests.e2e.conftest import CSP_VIOLATION, Authenticator, Site

pytestmark = pytest.mark.browser

MARKER = "ZEBRA-PLUM-4417"  # typed into every text field and hidden in the photo's EXIF
CYRILLIC_WORD = re.compile(r"^[а-яё]+$")  # noqa: RUF001 -- Cyrillic on purpose
SCREENER = "e2e-screener"
SCREENER_PASSPHRASE = "basalt-meadow-kettle-dawn"
SCREENER_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


def jpeg_file(data: bytes) -> FilePayload:
    return {"name": "IMG_2024.jpg", "mimeType": "image/jpeg", "buffer": data}


def photo_with_metadata(marker: str) -> bytes:
    """A small JPEG whose EXIF says where it was taken and carries ``marker`` as description."""
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = marker
    exif[ExifTags.Base.Make] = marker
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 45.0, 21.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (37.0, 37.0, 4.0)
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (120, 140, 160)).save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert marker.encode() in data
    return data


class PublicRecorder:
    """Every request a public page made, and every console line (there should be none)."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.console: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def assert_own_origin(self, site: Site) -> None:
        assert self.requests
        foreign = [url for url in self.requests if not url.startswith(site.origin + "/")]
        assert not foreign, f"requests to another origin: {foreign}"
        assert not [line for line in self.console if CSP_VIOLATION.search(line)], self.console
        assert not [line for line in self.console if line.startswith("pageerror")], self.console


@pytest.fixture(scope="module")
def screener(site: Site) -> Authenticator:
    script = (
        "from passage.accounts.models import RoleGrant, TotpDevice, User\n"
        f"u = User(username={SCREENER!r})\n"
        f"u.set_password({SCREENER_PASSPHRASE!r})\n"
        "u.save()\n"
        "RoleGrant.objects.create(user=u, role='screener')\n"
        f"TotpDevice(user=u, secret={SCREENER_SECRET!r}, confirmed=True).save()\n"
    )
    created = run_passage(site.env, "shell", "-c", script)
    assert created.returncode == 0, created.stderr
    return Authenticator(SCREENER_SECRET)


@pytest.fixture
def russian_no_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        java_script_enabled=False, locale="ru-RU", viewport={"width": 360, "height": 800}
    )
    try:
        yield context
    finally:
        context.close()


def staff_sign_in(browser: Browser, site: Site, authenticator: Authenticator) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.base_url + "/staff/")
    page.get_by_label("Username").fill(SCREENER)
    page.get_by_label("Passphrase").fill(SCREENER_PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base_url + "/staff/second-factor/")
    page.get_by_label("Code").fill(authenticator.next_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(site.base_url + "/staff/home/")
    return page


def submit(page: Page, action: str) -> None:
    """Press the submit button of the form that posts to ``action`` (its path)."""
    page.locator(f"form[action='{action}'] button[type=submit]").first.click()


def first_step(page: Page, site: Site, lang: str) -> str:
    """The help page's three questions; returns the codename from the receipt."""
    page.goto(f"{site.base_url}/{lang}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert not page.context.cookies(), "no cookie before the person sends anything"
    page.locator("#id_country").select_option("RU")
    page.locator("input[name=urgency][value=days]").check()
    expect(page.locator(f"input[name=language][value={lang}]")).to_be_checked()
    submit(page, f"/{lang}/request/")
    page.wait_for_url(f"{site.base_url}/{lang}/request/")
    codename = page.locator("p.codename").inner_text().strip()
    assert codename not in page.url
    return codename


def fill_story(page: Page, marker: str, photo: bytes | None) -> None:
    page.locator("#id_name").fill(f"Саша {marker}")
    page.locator("#id_contact_kind").select_option("signal")
    page.locator("#id_contact_value").fill(f"@sasha_{marker}")
    page.locator("#id_region").fill(f"Казань {marker}")
    page.locator("input[name=situations][value=detained]").check()
    page.locator("input[name=situations][value=family]").check()
    page.locator("#id_happened").fill(f"Меня задержали на улице. {marker}")
    page.locator("#id_fears").fill(f"Боюсь, что придут домой. {marker}")
    page.locator("input[name=passport][value=expired]").check()
    page.locator("#id_people").fill("2")
    if photo is not None:
        page.locator("#id_files").set_input_files(files=[jpeg_file(photo)])


def files_holding(roots: list[Path], needles: list[str]) -> list[str]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            found += [f"{path}: {needle!r}" for needle in needles if needle.encode() in data]
    return found


def test_russian_without_javascript_to_reply_and_answer(
    browser: Browser, site: Site, screener: Authenticator, russian_no_js: BrowserContext
) -> None:
    base = site.base_url
    page = russian_no_js.new_page()
    recorder = PublicRecorder(page)

    # --- First step: three questions, a codename in the person's own script at once. --------
    codename = first_step(page, site, "ru")
    words = codename.split()
    assert len(words) == 6, codename
    assert all(CYRILLIC_WORD.match(word) for word in words), codename
    assert page.context.cookies(), "the mailbox session cookie comes with the receipt"
    assert all(codename not in cookie["value"] for cookie in page.context.cookies())

    # --- Second step on the receipt page: the story, ticked boxes, and a photo with GPS. -----
    fill_story(page, MARKER, photo_with_metadata(MARKER))
    submit(page, "/ru/story/")
    page.wait_for_url(base + "/ru/mailbox/")
    expect(page.locator(".contact-phrase")).to_be_visible()
    # The story is in: the mailbox no longer offers the second step.
    expect(page.locator("form[action='/ru/story/']")).to_have_count(0)
    contact_phrase = page.locator(".contact-phrase").inner_text().strip()
    assert contact_phrase

    # --- Sign out and forget, then back in with the codename. ---------------------------------
    submit(page, "/ru/mailbox/sign-out/")
    page.wait_for_url(base + "/ru/mailbox/sign-out/")
    expect(page.locator(".contact-phrase")).to_have_count(0)
    page.goto(base + "/ru/mailbox/")
    expect(page.locator("#id_codename")).to_be_visible()
    page.locator("#id_codename").fill(codename)
    submit(page, "/ru/mailbox/")
    page.wait_for_url(base + "/ru/mailbox/")
    expect(page.locator(".contact-phrase")).to_have_text(contact_phrase)
    expect(page.locator("article.reply")).to_have_count(0)

    # --- A screener opens the request in the console and replies. ----------------------------
    staff = staff_sign_in(browser, site, screener)
    try:
        staff.goto(base + "/staff/requests/")
        rows = staff.locator("table tbody tr")
        expect(rows).to_have_count(1)
        rows.first.locator("a.reference").click()
        staff.wait_for_url(re.compile(r"/staff/requests/[0-9a-f-]{36}/$"))
        request_url = staff.url
        main = staff.locator("main")
        expect(main).to_contain_text(f"Саша {MARKER}")
        expect(main).to_contain_text(f"Меня задержали на улице. {MARKER}")
        expect(main).to_contain_text(f"Боюсь, что придут домой. {MARKER}")
        expect(main).to_contain_text(f"@sasha_{MARKER}")
        expect(main).to_contain_text(f"Казань {MARKER}")
        expect(main).to_contain_text(contact_phrase)
        file_link = staff.locator("a[href*='/files/']")
        expect(file_link).to_have_count(1)
        expect(file_link).to_contain_text("image.jpg")  # a neutral name, not the person's
        reply = "Здравствуйте. Мы прочитали ваше сообщение. Сколько вам лет?"
        staff.locator("textarea[name=body]").fill(reply)
        staff.locator("select[name=status]").select_option("need_info")
        staff.get_by_role("button", name="Send reply").click()
        staff.wait_for_url(request_url)
        expect(staff.locator(".staff-main > .banner--success")).to_contain_text("Reply sent")

        # --- Back in the Russian mailbox, JavaScript still off: the reply, then an answer. ---
        page.goto(base + "/ru/mailbox/")
        expect(page.locator("article.reply")).to_have_count(1)
        expect(page.locator("article.reply")).to_contain_text(reply)
        answer = f"Мне 27 лет. {MARKER}"
        page.locator("#id_text").fill(answer)
        submit(page, "/ru/mailbox/message/")
        page.wait_for_url(base + "/ru/mailbox/?sent=1")
        expect(page.locator(".banner--success")).to_be_visible()

        # --- The screener sees the answer. ----------------------------------------------------
        staff.goto(request_url)
        expect(staff.locator("main")).to_contain_text(answer)

        # The public pages never asked anything of another origin (the quick-exit target is only
        # a link), and no script ran: JavaScript was off.
        recorder.assert_own_origin(site)
        assert not [url for url in recorder.requests if url.endswith(".js")], recorder.requests

        # Sealed on arrival: neither the marker nor the codename is on disk in the clear, nor in
        # the server's logs (PostgreSQL's files are checked by tests/intake's marker test).
        data_dir = Path(site.env["PASSAGE_DATA_DIR"])
        leaks = files_holding([data_dir, data_dir.parent / "logs"], [MARKER, codename])
        assert not leaks, leaks

        # The photo, as the screener downloads it: still a JPEG, without its EXIF.
        href = staff.locator("a[href*='/files/']").get_attribute("href")
        assert href
        response = staff.context.request.get(base + href, max_redirects=0)
        assert response.status == 200, (response.status, response.headers)
        assert response.headers["content-disposition"].startswith("attachment")
        downloaded = response.body()
        assert downloaded[:3] == b"\xff\xd8\xff", "still a JPEG"
        assert MARKER.encode() not in downloaded
        stripped = Image.open(io.BytesIO(downloaded)).getexif()
        assert ExifTags.IFD.GPSInfo not in stripped
        assert not stripped.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.ImageDescription not in stripped
    finally:
        staff.context.close()


def test_story_after_the_session_ended_keeps_what_was_typed(
    site: Site, russian_no_js: BrowserContext
) -> None:
    base = site.base_url
    page = russian_no_js.new_page()
    recorder = PublicRecorder(page)
    codename = first_step(page, site, "ru")
    fill_story(page, MARKER, photo_with_metadata(MARKER))
    # The session ends while the person types: here they sign out in another tab (the server
    # forgets the session, as after the idle timeout).
    other = russian_no_js.new_page()
    other.goto(base + "/ru/mailbox/")
    submit(other, "/ru/mailbox/sign-out/")
    other.wait_for_url(base + "/ru/mailbox/sign-out/")
    other.close()
    submit(page, "/ru/story/")
    page.wait_for_url(base + "/ru/story/")
    # Everything typed is still there; only the files must be chosen again.
    expect(page.locator("#id_name")).to_have_value(f"Саша {MARKER}")
    expect(page.locator("#id_contact_kind")).to_have_value("signal")
    expect(page.locator("#id_contact_value")).to_have_value(f"@sasha_{MARKER}")
    expect(page.locator("#id_region")).to_have_value(f"Казань {MARKER}")
    expect(page.locator("#id_happened")).to_have_value(f"Меня задержали на улице. {MARKER}")
    expect(page.locator("#id_fears")).to_have_value(f"Боюсь, что придут домой. {MARKER}")
    expect(page.locator("input[name=situations][value=detained]")).to_be_checked()
    expect(page.locator("input[name=situations][value=family]")).to_be_checked()
    expect(page.locator("input[name=passport][value=expired]")).to_be_checked()
    expect(page.locator("#id_people")).to_have_value("2")
    # It asks for the codename, and says so at the top.
    expect(page.locator("[role=alert]").first).to_be_visible()
    expect(page.locator("#id_codename")).to_be_visible()
    expect(page.locator("#id_files")).to_have_value("")
    # With the codename, the same form goes through and lands in the mailbox.
    page.locator("#id_codename").fill(codename)
    page.locator("#id_files").set_input_files(files=[jpeg_file(photo_with_metadata("x"))])
    submit(page, "/ru/story/")
    page.wait_for_url(base + "/ru/mailbox/")
    expect(page.locator("form[action='/ru/story/']")).to_have_count(0)
    recorder.assert_own_origin(site)
