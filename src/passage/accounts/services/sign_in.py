"""Signing in and out, failed attempts, account lockout and per-address slowing.

Views and commands call these; nothing else writes accounts. Each service runs in one
transaction together with its audit entry (``audit.atomic()``), so a change is never committed
without its record, nor the record without the change.

Lockout: 5 failures (passphrase or second factor) lock the account for 15 minutes. A username
that belongs to nobody is "locked" the same way (a ``SignInThrottle`` row keyed by a keyed hash
of the username), so the answers never reveal whether an account exists. Each client address
is slowed too, keyed by a keyed hash of the address (the address is never stored): after
``ADDRESS_FREE_FAILURES`` failures in a window, every further failure blocks it for twice as
long, up to ``LOCK_SECONDS``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import login, logout
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils import timezone

from passage.accounts import sessions
from passage.accounts.exceptions import UsernameTaken
from passage.accounts.models import RoleGrant, SignInThrottle, StaffSession, User
from passage.accounts.roles import Role
from passage.accounts.services import sessions as session_services
from passage.audit import services as audit
from passage.crypto.keyring import keyring

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
ADDRESS_FREE_FAILURES = 10
ADDRESS_WINDOW_SECONDS = 15 * 60
ADDRESS_FIRST_BLOCK_SECONDS = 30
# Failures of a username are forgotten after a day without any (taken or not, alike).
FORGET_FAILURES_AFTER = timedelta(days=1)


def _keyed(kind: str, value: str) -> str:
    pepper = keyring.codename_pepper()
    return hmac.new(pepper, f"sign-in:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def address_key(request: HttpRequest) -> str:
    """A keyed hash of the client address (behind a proxy: the proxy's; see docs/security.md)."""
    return _keyed("address", str(request.META.get("REMOTE_ADDR", "")))


def username_key(username: str) -> str:
    return _keyed("username", username.strip().casefold())


def _seconds_left(until: datetime | None) -> int | None:
    if until is None:
        return None
    left = (until - timezone.now()).total_seconds()
    return int(left) + 1 if left > 0 else None


def address_retry_after(*, request: HttpRequest) -> int | None:
    """Seconds this client address must wait before trying again, or None."""
    row = SignInThrottle.objects.filter(address_hash=address_key(request)).first()
    return _seconds_left(row.blocked_until) if row else None


def username_locked_for(*, username: str) -> int | None:
    """Seconds until ``username`` may try again, whether or not such an account exists."""
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is not None:
        return _seconds_left(user.locked_until)
    row = SignInThrottle.objects.filter(address_hash=username_key(username)).first()
    return _seconds_left(row.blocked_until) if row else None


@dataclass(frozen=True)
class Failure:
    """What a failed attempt led to: the account (or username) is now locked, and for how long."""

    locked_for: int | None


def _count_address_failure(request: HttpRequest) -> int | None:
    """Count a failure of this address; returns the seconds it is now blocked for, if it is."""
    now = timezone.now()
    row, _ = SignInThrottle.objects.select_for_update().get_or_create(
        address_hash=address_key(request), defaults={"window_started_at": now}
    )
    blocked = row.blocked_until is not None and row.blocked_until > now
    if not blocked and (now - row.window_started_at).total_seconds() > ADDRESS_WINDOW_SECONDS:
        row.failures, row.window_started_at, row.blocked_until = 0, now, None
    row.failures += 1
    over = row.failures - ADDRESS_FREE_FAILURES
    block = None
    if over >= 0:
        block = min(ADDRESS_FIRST_BLOCK_SECONDS * 2**over, LOCK_SECONDS)
        row.blocked_until = now + timedelta(seconds=block)
        row.window_started_at = now  # the window restarts from the latest block
    row.save()
    # Rows of quiet addresses and usernames are forgotten after a day.
    SignInThrottle.objects.filter(window_started_at__lt=now - FORGET_FAILURES_AFTER).exclude(
        blocked_until__gt=now
    ).delete()
    return block


def sign_in_failed(
    *, request: HttpRequest, username: str, user: User | None, stage: str = "password"
) -> Failure:
    """Count a failed passphrase or second-factor attempt against the account and the address.

    ``user`` is the account of that username if one exists. The fifth failure locks it (or the
    username, if nobody has it) for 15 minutes. Audited as ``account.sign_in_failed``.
    """
    now = timezone.now()
    with audit.atomic():
        locked_for = _count_address_failure(request)
        # Every username, taken or not, has a row: when its last failure was (and, for names
        # nobody has, the count and the lock), so both kinds behave alike.
        row, created = SignInThrottle.objects.select_for_update().get_or_create(
            address_hash=username_key(username), defaults={"window_started_at": now}
        )
        forget = created or (now - row.window_started_at) > FORGET_FAILURES_AFTER
        if user is not None:
            user = User.objects.select_for_update().get(pk=user.pk)
            if forget or (user.locked_until is not None and user.locked_until <= now):
                user.failed_sign_ins = 0  # an expired lock, or a quiet day, starts afresh
                user.locked_until = None
            user.failed_sign_ins = min(user.failed_sign_ins + 1, 32767)
            if user.failed_sign_ins >= MAX_FAILURES:
                user.locked_until = now + timedelta(seconds=LOCK_SECONDS)
                locked_for = max(locked_for or 0, LOCK_SECONDS)
            user.save(update_fields=["failed_sign_ins", "locked_until"])
            object_id = str(user.pk)
        else:
            if forget or (row.blocked_until is not None and row.blocked_until <= now):
                row.failures, row.blocked_until = 0, None
            row.failures += 1
            if row.failures >= MAX_FAILURES:
                row.blocked_until = now + timedelta(seconds=LOCK_SECONDS)
                locked_for = max(locked_for or 0, LOCK_SECONDS)
            object_id = "unknown"
        row.window_started_at = now
        row.save()
        # A failed passphrase is anyone's; a failed second factor follows a right passphrase.
        by_user = stage == "second_factor" and user is not None
        audit.record(
            actor=audit.actor_for("user", user.pk) if by_user and user else "public",
            action="account.second_factor_failed" if by_user else "account.sign_in_failed",
            object_type="user",
            object_id=object_id,
            request_id=audit.request_id_from(request),
        )
        if user is not None and user.locked_until is not None and user.locked_until > now:
            audit.record(
                actor="system",
                action="account.locked",
                object_type="user",
                object_id=object_id,
                request_id=audit.request_id_from(request),
            )
    return Failure(locked_for=locked_for)


def sign_in_completed(*, user: User) -> None:
    """The second factor passed: the failure count starts again from zero."""
    User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)


def user_sign_in(*, request: HttpRequest, user: User) -> StaffSession:
    """Start a signed-in session for ``user``, who has just proved their passphrase.

    Django's ``login`` gives the session a new key (no session fixation) and stores the user's
    id with a hash of their password, so changing the password ends other sessions. The session
    still needs the second factor (``sessions.second_factor_done`` is False). The actor is the
    user; the entry carries the request id, never the client's address.
    """
    with audit.atomic():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        staff_session = session_services.session_start(request=request, user=user)
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.signed_in",
            object_type="user",
            object_id=str(user.pk),
            request_id=audit.request_id_from(request),
        )
    return staff_session


def second_factor_passed(*, request: HttpRequest, user: User, method: str) -> None:
    """Mark this session's second factor as checked now (sign-in, enrolment or step-up)."""
    with audit.atomic():
        sessions.mark_second_factor(request)
        staff_session = session_services.current_staff_session(request)
        if staff_session is not None:
            staff_session.second_factor_at = timezone.now()
            staff_session.save(update_fields=["second_factor_at"])
        sign_in_completed(user=user)
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action=f"account.second_factor_{method}",
            object_type="user",
            object_id=str(user.pk),
            request_id=audit.request_id_from(request),
        )


def user_sign_out(*, request: HttpRequest) -> None:
    """End the session: its row is marked ended, its data deleted and the cookie forgotten.

    Signing out an already anonymous session is allowed and records nothing.
    """
    user = getattr(request, "user", None)
    with audit.atomic():
        if isinstance(user, User):
            staff_session = session_services.current_staff_session(request)
            if staff_session is not None:
                staff_session.ended_at = timezone.now()
                staff_session.save(update_fields=["ended_at"])
            audit.record(
                actor=audit.actor_for("user", user.pk),
                action="account.signed_out",
                object_type="user",
                object_id=str(user.pk),
                request_id=audit.request_id_from(request),
            )
        logout(request)


def first_admin_create(*, username: str = "admin", actor: str = "cli") -> tuple[User, str] | None:
    """Create the installation's first admin, unless an admin exists already.

    The admin is created inactive, without a usable password, with a one-time invitation:
    returns the user and the invitation's path (``/staff/invitation/<token>/``), which exists
    nowhere else: the caller shows it once. Returns None, changing nothing, when an admin
    exists. Raises ``UsernameTaken`` if a non-admin account already has ``username``.
    """
    from passage.accounts.services import invitations

    with audit.atomic():
        if RoleGrant.objects.filter(role=Role.ADMIN).exists():
            return None
        if User.objects.filter(username__iexact=username).exists():
            raise UsernameTaken("That username belongs to an account that is not an admin.")
        try:
            with audit.atomic():
                user, path = invitations.admin_create_with_invitation(
                    username=username, actor=actor
                )
        except (IntegrityError, UsernameTaken):
            # Another `passage setup` created the admin at the same moment (PostgreSQL; SQLite
            # serialises writers at BEGIN): that one wins, this one changes nothing.
            if RoleGrant.objects.filter(role=Role.ADMIN).exists():
                return None
            raise
        audit.record(
            actor=actor,
            action="account.first_admin_created",
            object_type="user",
            object_id=str(user.pk),
            request_id=None,
        )
    return user, path
