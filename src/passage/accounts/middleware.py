"""Staff session rules, checked on every request of a signed-in session.

- The session must have an open ``StaffSession`` row: ending a session (sign-out elsewhere, an
  admin's suspension, "end all sessions", a password change) takes effect on its next request.
- A suspended or deactivated user is signed out (Django's backend already refuses to load them).
- During an emergency lockdown only admins stay signed in (``passage.accounts.lockdown``).
- Idle timeout (``PASSAGE_SESSION_IDLE_SECONDS``, 15 min) and absolute timeout
  (``PASSAGE_SESSION_ABSOLUTE_SECONDS``, 12 h): the session ends and the person is sent to
  sign-in, which says why. A timed-out POST is not carried out (it goes to sign-in too).

Runs right after ``AuthenticationMiddleware`` (before messages: the reason travels in the
sign-in URL as a short code, not in the session that is being deleted).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from passage.accounts import sessions
from passage.accounts.lockdown import lockdown_active
from passage.accounts.models import StaffSession, User
from passage.accounts.services import sessions as session_services

EXEMPT_PREFIXES = ("/static/", "/healthz")


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(EXEMPT_PREFIXES) or SESSION_KEY not in request.session:
            return self.get_response(request)
        ended = self._check(request)
        if ended is not None:
            return ended
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        key = request.session.session_key or ""
        row = StaffSession.objects.filter(session_key_hash=sessions.key_hash(key)).first()
        if not isinstance(user, User) or not user.is_active or user.suspended_at is not None:
            return self._end(request, row, "ended", actor="system")
        if row is None or row.ended_at is not None or row.user_id != user.pk:
            return self._end(request, None, "ended", actor="system")
        if not user.is_admin and lockdown_active():
            # Emergency lockdown: only admins stay signed in (docs/lockdown.md).
            return self._end(request, row, "lockdown", actor="system")
        now = time.time()
        started = request.session.get(sessions.STARTED_AT)
        last_seen = request.session.get(sessions.LAST_SEEN_AT)
        if not isinstance(started, int | float):
            started = row.created_at.timestamp()
        if not isinstance(last_seen, int | float):
            last_seen = row.last_seen_at.timestamp()
        if now - started > settings.SESSION_COOKIE_AGE:
            return self._end(request, row, "expired", actor="system")
        if now - last_seen > settings.PASSAGE_SESSION_IDLE_SECONDS:
            return self._end(request, row, "idle", actor="system")
        request.session[sessions.STARTED_AT] = started
        request.session[sessions.LAST_SEEN_AT] = now
        session_services.session_seen(staff_session=row)
        # For the page's idle-timeout warning (core/static/passage/session-timeout.js).
        request.session_idle_seconds = settings.PASSAGE_SESSION_IDLE_SECONDS  # type: ignore[attr-defined]
        return None

    def _end(
        self, request: HttpRequest, row: StaffSession | None, reason: str, *, actor: str
    ) -> HttpResponse | None:
        if row is not None and row.ended_at is None:
            timed_out = reason in {"idle", "expired"}
            session_services.session_end(
                staff_session=row,
                actor=actor,
                action="account.session_timed_out" if timed_out else "account.session_ended",
            )
        logout(request)  # deletes the server-side session and forgets the user
        request.user = AnonymousUser()
        if not request.path.startswith(resolve_url(settings.LOGIN_URL)):
            return None  # a public page: it goes on, anonymously
        query = {"ended": reason}
        if request.method in {"GET", "HEAD"}:
            query["next"] = request.get_full_path()
        target = f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}"
        response = HttpResponseRedirect(target)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = target  # htmx: the whole page goes, not a fragment
        return response
