"""The public tier under a surge: calm 429/503 answers instead of slowness, timeouts or 500s.

For public paths only (not /staff/, /static/, /healthz):

- Saturation: more than ``PASSAGE_PUBLIC_MAX_INFLIGHT`` public requests in this process -> 503.
- Rate: form posts per second (and per minute) across all processes, counted in Redis -> 429.
- Per address, only where a real client address is known (``PASSAGE_CLIENT_ADDRESS``): posts
  per minute, counted under a keyed hash of the address that expires within minutes -> 429.
- Database or memory store down -> 503.

Every answer carries Retry-After and a calm page in the visitor's language, rendered without
the database. No address, User-Agent or Referer is stored or logged (DESIGN threat model 5, 6).

If Redis cannot be reached, the rate limits fail open: a lost help request costs more than an
unlimited minute, the in-flight cap still bounds each process, and one WARNING says so.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template import loader
from django.utils import translation
from django.utils.crypto import salted_hmac

from passage.core import memstore
from passage.core.memstore import StoreUnavailable

logger = logging.getLogger("passage.surge")

EXEMPT_PREFIXES = ("/staff/", "/static/")
EXEMPT_PATHS = ("/staff", "/healthz")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# InterfaceError is not a DatabaseError in the DB-API hierarchy.
UNAVAILABLE = (DatabaseError, InterfaceError, StoreUnavailable)

# After a failed Redis call, skip it for this long: each attempt may wait for a connect timeout
# while holding one of the few request threads.
STORE_RETRY_SECONDS = 5.0

_PUBLIC_MARK = "_passage_surge_public"
_UNAVAILABLE_MARK = "_passage_surge_unavailable"

# One atomic round trip: add one to each counter, give new ones their lifetime, return them all.
_COUNT_SCRIPT = """
local counts = {}
for i, name in ipairs(KEYS) do
  counts[i] = redis.call('INCR', name)
  if counts[i] == 1 then redis.call('EXPIRE', name, ARGV[i]) end
end
return counts
"""

_FALLBACK = (
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Please try again soon</title>"
    "<h1>Many people are asking for help right now.</h1>"
    "<p>Please try again in a few minutes.</p></html>"
)


def is_public(path: str) -> bool:
    return not (path.startswith(EXEMPT_PREFIXES) or path in EXEMPT_PATHS)


def _clock() -> float:
    return time.time()  # windows are shared across processes, so wall-clock (tests freeze it)


class _InFlight:
    """Public requests this process is working on (gunicorn's gthread: several threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def enter(self, limit: int) -> bool:
        with self._lock:
            if self.count >= limit:
                return False
            self.count += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.count -= 1


class _StoreHealth:
    """Remembers a Redis outage, so it is logged once and not retried on every request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0

    def usable(self) -> bool:
        return not self.down or time.monotonic() >= self.retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            self.retry_at = time.monotonic() + STORE_RETRY_SECONDS
            if self.down:
                return
            self.down = True
        logger.warning(
            "memory store unreachable (%s): public rate limits are off until it is back",
            type(error).__name__,
        )

    def succeeded(self) -> None:
        if not self.down:
            return
        with self._lock:
            was_down, self.down = self.down, False
        if was_down:
            logger.info("memory store reachable again: public rate limits apply")

    def reset(self) -> None:
        with self._lock:
            self.down, self.retry_at = False, 0.0


inflight = _InFlight()
store_health = _StoreHealth()


# --- Client address ------------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address as configured, or None where it is not really known.

    IPv6 is taken per /64 (one subscriber's share); loopback means a local proxy or Tor, whose
    requests all look alike, so it counts as unknown.
    """
    mode = settings.PASSAGE_CLIENT_ADDRESS
    if mode == "remote-addr":
        raw = request.META.get("REMOTE_ADDR", "")
    elif mode == "x-forwarded-for":
        # Earlier entries are whatever the client sent; the last one is our proxy's.
        raw = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1]
    else:
        return None
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback or address.is_unspecified:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _address_counter(address: str, minute: int) -> str:
    # Keyed, and keyed per window: a Redis dump links no address to anything, nor two windows.
    digest = salted_hmac(
        "passage.core.surge.address", f"{minute}|{address}", algorithm="sha256"
    ).hexdigest()
    return memstore.key("surge", "addr", digest)


# --- Limits --------------------------------------------------------------------------------------


def over_post_limits(request: HttpRequest) -> bool:
    """Count this post in every window that applies; True if any is now over its limit."""
    now = _clock()
    second, minute = int(now), int(now // 60)
    windows = [  # counter, its lifetime in seconds, its limit (0 = none)
        (
            memstore.key("surge", "posts", "s", str(second)),
            2,
            settings.PASSAGE_PUBLIC_POSTS_PER_SECOND,
        ),
        (
            memstore.key("surge", "posts", "m", str(minute)),
            120,
            settings.PASSAGE_PUBLIC_POSTS_PER_MINUTE,
        ),
    ]
    address = client_address(request)
    if address is not None:
        limit = settings.PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE
        windows.append((_address_counter(address, minute), 120, limit))
    counters = [window for window in windows if window[2]]
    if not counters or not store_health.usable():
        return False
    try:
        counts = memstore.call(
            "eval",
            _COUNT_SCRIPT,
            len(counters),
            *(name for name, _, _ in counters),
            *(lifetime for _, lifetime, _ in counters),
        )
    except (StoreUnavailable, redis.RedisError) as exc:
        store_health.failed(exc)
        return False
    store_health.succeeded()
    if not isinstance(counts, list):  # the script returns one count per key
        return False
    return any(int(count) > limit for count, (_, _, limit) in zip(counts, counters, strict=True))


# --- The calm page -------------------------------------------------------------------------------


def busy_response(request: HttpRequest, status: int) -> HttpResponse:
    """429 or 503 with Retry-After and the calm page, without the database or context processors."""
    language = translation.get_language_from_request(request, check_path=True)
    context = {
        "public_title": settings.PASSAGE_PUBLIC_TITLE,
        "quick_exit_url": settings.PASSAGE_QUICK_EXIT_URL,
    }
    html: str
    try:
        with translation.override(language):
            html = loader.render_to_string("core/errors/busy.html", context)
    except Exception as exc:  # the busy page must not become a 500 itself
        logger.error("busy page failed to render: %s", type(exc).__name__)
        html, language = _FALLBACK, "en"
    response = HttpResponse(html, status=status)
    response["Retry-After"] = str(settings.PASSAGE_PUBLIC_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


def _log_unavailable(exception: BaseException) -> None:
    # The message may quote data (a query, a key); its type and where it happened are enough.
    if isinstance(exception, StoreUnavailable):
        logger.warning("public page answered 503: memory store unreachable")
        return
    frames = traceback.extract_tb(exception.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames[-3:])
    logger.error("public page answered 503: %s at %s", type(exception).__name__, where)


def _mark_unavailable(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Django turns an exception in a middleware below us into a 500 before we see it; this
    tells __call__ that the 500 was the database (e.g. a session read) and should be a 503."""
    exception = sys.exc_info()[1]
    if request is None or not getattr(request, _PUBLIC_MARK, False):
        return
    if isinstance(exception, UNAVAILABLE):
        setattr(request, _UNAVAILABLE_MARK, True)
        _log_unavailable(exception)


got_request_exception.connect(_mark_unavailable, dispatch_uid="passage.core.surge")


# --- Middleware ----------------------------------------------------------------------------------


class PublicSurgeMiddleware:
    """Sits right inside the security headers, so every calm answer still carries them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_public(request.path_info):
            return self.get_response(request)
        if not inflight.enter(settings.PASSAGE_PUBLIC_MAX_INFLIGHT):
            return busy_response(request, 503)
        try:
            if request.method not in SAFE_METHODS and over_post_limits(request):
                return busy_response(request, 429)
            setattr(request, _PUBLIC_MARK, True)
            response = self.get_response(request)
            if response.status_code == 500 and getattr(request, _UNAVAILABLE_MARK, False):
                return busy_response(request, 503)
            return response
        finally:
            inflight.leave()

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_public(request.path_info) or not isinstance(exception, UNAVAILABLE):
            return None  # the staff side has its own error pages
        _log_unavailable(exception)
        return busy_response(request, 503)
