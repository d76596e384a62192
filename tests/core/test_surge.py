"""The public tier under a surge: calm 429/503 with Retry-After, in the visitor's language.

Most tests here have no database access at all (pytest-django refuses it without the mark), which
also proves that the calm page never needs the database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils.translation import trans_real
from pytest_django import Settings

from passage.core import memstore, surge
from tests.core.support import probe, scan_html
from tests.core.surge_urls import SECRET_MARKER, entered, release

pytestmark = pytest.mark.usefixtures("memstore", "surge_urls", "surge_state")

HEADING = "Many people are asking for help right now."
ADVICE = (
    "Please try again in a few minutes. What you just tried to send has not reached us. "
    "If you already received your codename, your request is safe with us."
)
HEADING_RU = "Сейчас к нам обращается очень много людей."
TRACE_WORDS = ("Traceback", "OperationalError", "StoreUnavailable", 'File "', SECRET_MARKER)
ADDRESS = "203.0.113.77"


@pytest.fixture
def surge_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.core.surge_urls"
    # Generous unless a test narrows one: each test says which limit it is about.
    settings.PASSAGE_PUBLIC_MAX_INFLIGHT = 8
    settings.PASSAGE_PUBLIC_POSTS_PER_SECOND = 1000
    settings.PASSAGE_PUBLIC_POSTS_PER_MINUTE = 0
    settings.PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE = 0
    settings.PASSAGE_CLIENT_ADDRESS = "none"
    settings.PASSAGE_PUBLIC_RETRY_AFTER_SECONDS = 90


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.25  # early in a second and in a minute

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def surge_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[FrozenClock]:
    """A frozen clock (windows must not turn over mid-test) and a clean outage memory."""
    clock = FrozenClock()
    monkeypatch.setattr(surge, "_clock", clock)
    surge.store_health.reset()
    entered.clear()
    release.clear()
    yield clock
    release.set()
    surge.store_health.reset()
    assert surge.inflight.count == 0, "an in-flight slot leaked"


@pytest.fixture
def russian() -> Iterator[None]:
    """The Russian heading for this test, whether or not the Russian catalogue (locale/ru) has
    it yet; afterwards the catalogue is put back as it was (deleting the key would drop the
    real translation for every later test in the process)."""
    catalog = trans_real.translation("ru")._catalog
    missing = object()
    before = catalog._catalogs[0].get(HEADING, missing)
    catalog[HEADING] = HEADING_RU
    yield
    if before is missing:
        del catalog._catalogs[0][HEADING]
    else:
        catalog._catalogs[0][HEADING] = before


def redis_dump() -> list[tuple[str, str]]:
    """Every key of this test process, with its value, as text."""
    client = memstore.client()
    found = []
    for name in client.scan_iter(match=memstore.key("*"), count=500):
        value = client.get(name)
        found.append((name.decode(), value.decode() if value is not None else ""))
    return found


def assert_calm(response: HttpResponse, status: int, retry_after: str = "90") -> str:
    assert response.status_code == status
    assert response["Retry-After"] == retry_after
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for word in TRACE_WORDS:
        assert word not in html
    _, inline = scan_html(html)
    assert not inline
    assert 'id="quick-exit"' in html  # "Leave quickly" stays first, on this page too
    return html


# --- Global rate ---------------------------------------------------------------------------------


def test_post_over_the_limit_in_a_second_gets_a_calm_429_in_russian(
    settings: Settings, surge_state: FrozenClock, russian: None
) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_SECOND = 3
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    for _ in range(3):
        assert client.post("/submit", {"x": "1"}).status_code == 200
    response = client.post("/submit", {"x": "1"})
    html = assert_calm(response, 429)
    assert '<html lang="ru" dir="ltr">' in html
    assert HEADING_RU in html
    assert response["Content-Language"] == "ru"
    # Reading pages is not limited by the post counter.
    assert client.get("/submit").status_code == 200
    # The next second is a new window.
    surge_state.now += 1
    assert client.post("/submit", {"x": "1"}).status_code == 200


def test_calm_page_in_english_by_default(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_SECOND = 1
    client = Client()
    client.post("/submit")
    html = assert_calm(client.post("/submit"), 429)
    assert '<html lang="en" dir="ltr">' in html
    assert HEADING in html
    assert ADVICE in html


@pytest.mark.parametrize(
    ("path", "accept", "lang"),
    [("/ar/submit", "en", "ar"), ("/submit", "fa", "fa"), ("/fr/submit", "ar", "fr")],
)
def test_language_comes_from_the_url_prefix_then_accept_language(
    settings: Settings, path: str, accept: str, lang: str
) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_SECOND = 1
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    client.post(path)
    html = assert_calm(client.post(path), 429)
    direction = "rtl" if lang in {"ar", "fa"} else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html


def test_per_minute_limit(settings: Settings, surge_state: FrozenClock) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_MINUTE = 2
    client = Client()
    assert client.post("/submit").status_code == 200
    surge_state.now += 5
    assert client.post("/submit").status_code == 200
    surge_state.now += 5
    assert_calm(client.post("/submit"), 429)
    surge_state.now += 60
    assert client.post("/submit").status_code == 200


def test_counters_live_seconds_only(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_MINUTE = 100
    Client().post("/submit")
    names = [name for name, _ in redis_dump()]
    assert len(names) == 2
    for name in names:
        assert 0 < memstore.client().ttl(name) <= 120


# --- Saturation ----------------------------------------------------------------------------------


def test_saturated_process_answers_503_at_once(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_MAX_INFLIGHT = 1
    inside, leave = threading.Event(), threading.Event()

    def blocking_view(request: HttpRequest) -> HttpResponse:
        if request.path == "/slow":
            inside.set()
            leave.wait(timeout=10)
        return HttpResponse("done")

    middleware = surge.PublicSurgeMiddleware(blocking_view)
    factory = RequestFactory()
    results: list[int] = []
    worker = threading.Thread(
        target=lambda: results.append(middleware(factory.get("/slow")).status_code)
    )
    worker.start()
    try:
        assert inside.wait(timeout=10)
        response = middleware(factory.get("/", HTTP_ACCEPT_LANGUAGE="es"))
        html = assert_calm(response, 503)  # type: ignore[arg-type]
        assert '<html lang="es" dir="ltr">' in html
        # Staff pages and the health check are not held back by the public cap.
        assert middleware(factory.get("/healthz")).status_code == 200
    finally:
        leave.set()
        worker.join(timeout=10)
    assert results == [200]
    assert surge.inflight.count == 0
    assert middleware(factory.get("/")).status_code == 200


def test_saturation_through_the_whole_stack(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_MAX_INFLIGHT = 1
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(Client().get("/slow").status_code))
    worker.start()
    try:
        assert entered.wait(timeout=10)
        assert_calm(Client().post("/submit"), 503)
        assert Client().post("/staff/test/submit").status_code == 200
    finally:
        release.set()
        worker.join(timeout=10)
    assert results == [200]
    assert Client().post("/submit").status_code == 200


def test_in_flight_slot_is_freed_when_the_view_fails(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_MAX_INFLIGHT = 1

    def failing_view(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("boom")

    middleware = surge.PublicSurgeMiddleware(failing_view)
    with pytest.raises(RuntimeError):
        middleware(RequestFactory().get("/"))
    assert surge.inflight.count == 0


# --- Database and memory store down --------------------------------------------------------------


def test_database_down_gives_a_calm_503_not_a_500(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = Client(HTTP_ACCEPT_LANGUAGE="ru").post("/db-down", {"story": "x"})
    html = assert_calm(response, 503)
    assert '<html lang="ru" dir="ltr">' in html
    assert "public page answered 503: OperationalError" in caplog.text
    assert SECRET_MARKER not in caplog.text


def test_database_down_in_a_middleware_gives_a_calm_503(settings: Settings) -> None:
    # E.g. SessionMiddleware reading a stale session: Django makes that a 500 below us.
    middleware = list(settings.MIDDLEWARE)
    where = middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    middleware.insert(where, "tests.core.surge_urls.DatabaseDownMiddleware")
    settings.MIDDLEWARE = middleware
    client = Client(raise_request_exception=False)
    html = assert_calm(client.get("/ar/middleware-db-down"), 503)
    assert '<html lang="ar" dir="rtl">' in html
    # The staff side keeps its own plain 500 page.
    staff = client.get("/staff/middleware-db-down")
    assert staff.status_code == 500
    assert "Retry-After" not in staff


def test_unreachable_database_gives_the_calm_page(keyed_env: dict[str, str]) -> None:
    # A real installation whose database is not there; a stale session cookie makes a public
    # page read the session table.
    result = probe(
        {**keyed_env, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/passage"},
        """
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
results = describe(client.get("/fa/", HTTP_ACCEPT_LANGUAGE="en"))
""",
    )
    assert result["status"] == 503
    headers = result["headers"]
    assert isinstance(headers, dict)
    assert int(headers["Retry-After"]) > 0
    html = str(result["body"])
    assert '<html lang="fa" dir="rtl">' in html
    for word in TRACE_WORDS:
        assert word not in html


def test_memory_store_down_in_a_view_gives_a_calm_503() -> None:
    assert_calm(Client().post("/store-down"), 503)


def test_staff_database_errors_keep_the_staff_error_page() -> None:
    response = Client(raise_request_exception=False).post("/staff/test/db-down")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert HEADING not in response.content.decode()


def test_unreachable_redis_fails_open_with_one_warning(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_SECOND = 1
    settings.PASSAGE_CLIENT_ADDRESS = "remote-addr"
    settings.PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE = 1
    settings.PASSAGE_REDIS_URL = "redis://127.0.0.1:1/0"
    client = Client(REMOTE_ADDR=ADDRESS)
    with caplog.at_level(logging.INFO, logger="passage"):
        statuses = [client.post("/submit").status_code for _ in range(3)]
    # An acknowledged request matters more than a limit: the posts go through.
    assert statuses == [200, 200, 200]
    warnings = [r for r in caplog.records if r.name == "passage.surge"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert ADDRESS not in caplog.text


# --- Per address ---------------------------------------------------------------------------------


def test_no_per_address_counting_without_a_known_address(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE = 2
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=ADDRESS)
    assert [client.post("/submit").status_code for _ in range(5)] == [200] * 5
    assert not [name for name, _ in redis_dump() if ":addr:" in name]


def test_per_address_limit_when_the_address_is_known(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.PASSAGE_CLIENT_ADDRESS = "remote-addr"
    settings.PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE = 2
    client = Client(REMOTE_ADDR=ADDRESS)
    with caplog.at_level(logging.DEBUG):
        assert client.post("/submit").status_code == 200
        assert client.post("/submit").status_code == 200
        assert_calm(client.post("/submit"), 429)
        assert Client(REMOTE_ADDR="198.51.100.4").post("/submit").status_code == 200
    dump = redis_dump()
    assert len([name for name, _ in dump if ":addr:" in name]) == 2
    for name, value in dump:
        assert ADDRESS not in name and ADDRESS not in value
        assert "198.51.100.4" not in name and "198.51.100.4" not in value
    for name in memstore.client().scan_iter(match=memstore.key("surge", "addr", "*")):
        assert 0 < memstore.client().ttl(name) <= 600
    assert ADDRESS not in caplog.text


def test_forwarded_for_takes_the_last_hop_only(settings: Settings) -> None:
    settings.PASSAGE_CLIENT_ADDRESS = "x-forwarded-for"
    settings.PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE = 2
    # A client cannot escape by making up earlier hops: our proxy appends the real one.
    statuses = [
        Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, {ADDRESS}").post("/submit").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    for name, value in redis_dump():
        assert ADDRESS not in name and ADDRESS not in value


@pytest.mark.parametrize(
    ("mode", "meta", "expected"),
    [
        ("none", {"REMOTE_ADDR": ADDRESS}, None),
        ("remote-addr", {"REMOTE_ADDR": ADDRESS}, ADDRESS),
        ("remote-addr", {"REMOTE_ADDR": "127.0.0.1"}, None),  # Tor or a local proxy
        ("remote-addr", {"REMOTE_ADDR": "::ffff:203.0.113.77"}, ADDRESS),
        ("remote-addr", {"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"),
        ("x-forwarded-for", {"REMOTE_ADDR": ADDRESS}, None),
        ("x-forwarded-for", {"HTTP_X_FORWARDED_FOR": "junk"}, None),
        ("x-forwarded-for", {"HTTP_X_FORWARDED_FOR": f"1.2.3.4,{ADDRESS} "}, ADDRESS),
    ],
)
def test_client_address(
    settings: Settings, mode: str, meta: dict[str, str], expected: str | None
) -> None:
    settings.PASSAGE_CLIENT_ADDRESS = mode
    request = RequestFactory().post("/submit")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    assert surge.client_address(request) == expected


# --- Staff and plumbing are untouched ------------------------------------------------------------


def test_staff_paths_are_not_limited(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_SECOND = 1
    settings.PASSAGE_CLIENT_ADDRESS = "remote-addr"
    settings.PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE = 1
    client = Client(REMOTE_ADDR=ADDRESS)
    assert [client.post("/staff/test/submit").status_code for _ in range(5)] == [200] * 5
    assert redis_dump() == []


@pytest.mark.django_db
def test_health_check_is_not_limited(settings: Settings) -> None:
    settings.PASSAGE_PUBLIC_POSTS_PER_SECOND = 1
    client = Client()
    assert [client.post("/healthz").status_code for _ in range(3)] == [405] * 3
    assert client.get("/healthz").status_code == 200
    assert redis_dump() == []


def test_alert_count_does_not_query_without_a_staff_user() -> None:
    # The calm page uses no context processors; this one must not need the database either.
    from django.contrib.auth.models import AnonymousUser

    from passage.alerts.context_processors import alert_count

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert alert_count(request) == {"alert_count": None}
