"""Staff sessions: starting, ending (one, all of a user's, everyone's) and the "My sessions" facts.

Sessions are server-side (Django's database session store). Each signed-in session has a
``StaffSession`` row keyed by a hash of the session key; the session middleware refuses a
session whose row is missing or ended, so ending a session takes effect on its next request
even if deleting the Django session were to miss it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from passage.accounts import sessions
from passage.accounts.models import StaffSession, User
from passage.audit import services as audit

# Coarse device labels: browser family and platform, nothing that singles a person out.
_BROWSERS = [
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|Chromium/|CriOS/")),
    ("Safari", re.compile(r"Safari/")),
]
_PLATFORMS = [
    ("Android", re.compile(r"Android")),
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux|X11")),
]


def device_label(user_agent: str) -> str:
    """'Firefox on Android' from a User-Agent header; the header itself is never stored."""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), None)
    platform = next((name for name, pattern in _PLATFORMS if pattern.search(user_agent)), None)
    if browser and platform:
        return f"{browser} on {platform}"
    return browser or platform or "Unknown browser"


def session_start(*, request: HttpRequest, user: User) -> StaffSession:
    """Record the session that ``login()`` has just created (its key is already rotated).

    Runs inside the caller's ``audit.atomic()`` (the sign-in service records the entry).
    """
    request.session.save()  # makes sure the rotated key exists in the store
    key = request.session.session_key or ""
    now = timezone.now()
    request.session[sessions.STARTED_AT] = now.timestamp()
    request.session[sessions.LAST_SEEN_AT] = now.timestamp()
    return StaffSession.objects.create(
        user=user,
        session_key_hash=sessions.key_hash(key),
        device=device_label(request.headers.get("User-Agent", ""))[:60],
        created_at=now,
        last_seen_at=now,
    )


def current_staff_session(request: HttpRequest) -> StaffSession | None:
    """The open ``StaffSession`` row of this request's session, if there is one."""
    key = request.session.session_key
    if not key or not request.user.is_authenticated:
        return None
    return StaffSession.objects.filter(
        session_key_hash=sessions.key_hash(key), user_id=request.user.pk, ended_at=None
    ).first()


def _delete_django_sessions(key_hashes: Iterable[str]) -> None:
    """Delete the stored sessions whose key hashes are given (the keys themselves are not kept).

    Scans the live sessions: a staff installation has hundreds of them, not millions.
    """
    wanted = set(key_hashes)
    if not wanted:
        return
    doomed = [
        key
        for key in Session.objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", flat=True)
        .iterator()
        if sessions.key_hash(key) in wanted
    ]
    Session.objects.filter(session_key__in=doomed).delete()


def _end(rows: list[StaffSession], *, actor: str, action: str) -> int:
    now = timezone.now()
    for row in rows:
        row.ended_at = now
        row.save(update_fields=["ended_at"])
        audit.record(actor=actor, action=action, object_type="session", object_id=str(row.pk))
    _delete_django_sessions(row.session_key_hash for row in rows)
    return len(rows)


def session_end(
    *, staff_session: StaffSession, actor: str, action: str = "account.session_ended"
) -> None:
    """End one session: it is marked ended and its server-side data deleted. Audited."""
    with audit.atomic():
        row = StaffSession.objects.select_for_update().get(pk=staff_session.pk)
        if row.ended_at is None:
            _end([row], actor=actor, action=action)
        staff_session.ended_at = row.ended_at


def sessions_end_all_for(*, user: User, actor: str, keep: StaffSession | None = None) -> int:
    """End every open session of ``user`` (suspension, password change, second-factor reset).

    ``keep`` spares one session (the one changing its own password). Returns how many ended.
    """
    with audit.atomic():
        open_rows = StaffSession.objects.select_for_update().filter(user=user, ended_at=None)
        if keep is not None:
            open_rows = open_rows.exclude(pk=keep.pk)
        rows = list(open_rows)
        return _end(rows, actor=actor, action="account.session_ended")


def sessions_end_everyone(*, actor: str) -> int:
    """End every open session of every user at once (the emergency "end all sessions")."""
    with audit.atomic():
        rows = list(StaffSession.objects.select_for_update().filter(ended_at=None))
        ended = _end(rows, actor=actor, action="account.session_ended")
        # A signed-in session without a row is refused by the middleware anyway.
        audit.record(
            actor=actor,
            action="account.sessions_ended_everyone",
            object_type="session",
            object_id="all",
        )
        return ended


def session_seen(*, staff_session: StaffSession) -> None:
    """Move ``last_seen_at`` forward (at most once a minute; housekeeping, not audited)."""
    now = timezone.now()
    if (now - staff_session.last_seen_at).total_seconds() >= 60:
        StaffSession.objects.filter(pk=staff_session.pk).update(last_seen_at=now)
        staff_session.last_seen_at = now


def open_sessions_of(user: User) -> list[StaffSession]:
    """The user's open sessions, newest first (for "My sessions")."""
    return list(StaffSession.objects.filter(user=user, ended_at=None).order_by("-last_seen_at"))
