"""Session facts shared by sign-in, the session middleware, step-up and tests.

A staff session is signed in (Django's auth), then completes its second factor; the time of the
last second-factor check is kept in the session and on its ``StaffSession`` row.
"""

from __future__ import annotations

import hashlib
import time

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

SECOND_FACTOR_AT = "passage_second_factor_at"
STARTED_AT = "passage_started_at"
LAST_SEEN_AT = "passage_last_seen_at"


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def second_factor_done(request: HttpRequest) -> bool:
    return isinstance(request.session.get(SECOND_FACTOR_AT), int | float)


def second_factor_age(request: HttpRequest) -> float | None:
    """Seconds since the last second-factor check in this session, or None."""
    at = request.session.get(SECOND_FACTOR_AT)
    if not isinstance(at, int | float):
        return None
    return max(0.0, time.time() - at)


def second_factor_fresh(request: HttpRequest, max_age: int) -> bool:
    age = second_factor_age(request)
    return age is not None and age <= max_age


def mark_second_factor(request: HttpRequest) -> None:
    """Record a successful second-factor check now (callers update ``StaffSession`` too)."""
    mark_second_factor_in(request.session)


def mark_second_factor_in(session: SessionBase) -> None:
    session[SECOND_FACTOR_AT] = time.time()


def timed_out(session: SessionBase, now: float | None = None) -> bool:
    """Whether a signed-in session is past its idle or absolute timeout (by the times it holds;
    the session middleware ends such a session on its next request)."""
    from django.conf import settings

    now = time.time() if now is None else now
    started = session.get(STARTED_AT)
    last_seen = session.get(LAST_SEEN_AT)
    if isinstance(started, int | float) and now - started > settings.SESSION_COOKIE_AGE:
        return True
    return isinstance(last_seen, int | float) and (
        now - last_seen > settings.PASSAGE_SESSION_IDLE_SECONDS
    )
