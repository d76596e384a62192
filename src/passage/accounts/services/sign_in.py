"""Account services: every change to staff accounts and sessions, each with its audit entry.

Views and commands call these; nothing else writes accounts. Each service runs in one
transaction together with its audit entry (``audit.atomic()``), so a change is never committed
without its record, nor the record without the change.
"""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.db import IntegrityError
from django.http import HttpRequest

from passage.accounts import passphrases
from passage.accounts.exceptions import UsernameTaken
from passage.accounts.models import RoleGrant, User
from passage.accounts.roles import Role
from passage.audit import services as audit


def user_sign_in(*, request: HttpRequest, user: User) -> None:
    """Start a signed-in session for ``user``, who has just proved who they are.

    Django's ``login`` gives the session a new key (no session fixation) and stores the user's
    id with a hash of their password, so changing the password ends other sessions. The actor is
    the user; the entry carries the request id, never the client's address.
    """
    with audit.atomic():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.signed_in",
            object_type="user",
            object_id=str(user.pk),
            request_id=audit.request_id_from(request),
        )


def user_sign_out(*, request: HttpRequest) -> None:
    """End the session: its data is deleted server-side and the cookie forgotten.

    Signing out an already anonymous session is allowed and records nothing.
    """
    user = getattr(request, "user", None)
    with audit.atomic():
        if isinstance(user, User):
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

    Returns the new user and a random passphrase, which exists nowhere else: the caller shows it
    once and forgets it (only its Argon2id hash is stored). Returns None, changing nothing, when
    an admin exists. Raises ``UsernameTaken`` if a non-admin account already has ``username``.
    """
    with audit.atomic():
        if RoleGrant.objects.filter(role=Role.ADMIN).exists():
            return None
        if User.objects.filter(username__iexact=username).exists():
            raise UsernameTaken("That username belongs to an account that is not an admin.")
        passphrase = passphrases.generate()
        user = User(username=username)
        user.set_password(passphrase)
        try:
            with audit.atomic():
                user.save(force_insert=True)
                RoleGrant.objects.create(user=user, role=Role.ADMIN)
        except IntegrityError:
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
    return user, passphrase
