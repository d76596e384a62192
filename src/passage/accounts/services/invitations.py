"""Invitations: the one-time link an admin passes on in person, valid 72 hours.

Only the SHA-256 of the token is stored. Accepting an invitation sets a password, enrols an
authenticator (confirmed with a current code) and ends with the user active and signed in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from passage.accounts.exceptions import UsernameTaken
from passage.accounts.models import Invitation, RoleGrant, User
from passage.accounts.roles import Role
from passage.audit import services as audit

VALID_FOR = timedelta(hours=72)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, user: User, actor: str) -> str:
    """A new invitation for ``user``; returns its path ``/staff/invitation/<token>/``.

    The token exists only in that path (shown once); an older unused invitation of the same
    user stops working.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with audit.atomic():
        for older in Invitation.objects.select_for_update().filter(user=user, used_at=None):
            if older.expires_at > now:
                older.expires_at = now
                older.save(update_fields=["expires_at"])
                audit.record(
                    actor=actor,
                    action="account.invitation_revoked",
                    object_type="invitation",
                    object_id=str(older.pk),
                )
        Invitation.objects.create(
            user=user,
            token_hash=_token_hash(token),
            created_by=_actor_user(actor),
            expires_at=now + VALID_FOR,
        )
        audit.record(
            actor=actor,
            action="account.invitation_created",
            object_type="user",
            object_id=str(user.pk),
        )
    return reverse("staff:invitation", kwargs={"token": token})


def _actor_user(actor: str) -> User | None:
    kind, _, ident = actor.partition(":")
    return User.objects.filter(pk=ident).first() if kind == "user" and ident else None


def invitation_find(token: str) -> Invitation | None:
    """The invitation this token opens, if it is unused, unexpired and its user not suspended."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("user")
        .filter(token_hash=_token_hash(token), used_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None or invitation.user.suspended_at is not None:
        return None
    return invitation


def invitation_complete(*, invitation: Invitation) -> User:
    """Mark the invitation used and the user active (after password and authenticator)."""
    with audit.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_at is not None or locked.expires_at <= timezone.now():
            raise ValueError("This invitation cannot be used any more.")
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        user = User.objects.select_for_update().get(pk=locked.user_id)
        user.is_active = True
        user.failed_sign_ins = 0
        user.locked_until = None
        user.save(update_fields=["is_active", "failed_sign_ins", "locked_until"])
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.invitation_accepted",
            object_type="invitation",
            object_id=str(locked.pk),
        )
    return user


def admin_create_with_invitation(*, username: str, actor: str) -> tuple[User, str]:
    """A new admin, inactive until they accept the returned invitation path (CLI, setup)."""
    username = username.strip()
    with audit.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise UsernameTaken("That username is taken.")
        user = User(username=username, is_active=False, password=make_password(None))
        user.save(force_insert=True)
        RoleGrant.objects.create(user=user, role=Role.ADMIN)
        audit.record(
            actor=actor, action="account.admin_created", object_type="user", object_id=str(user.pk)
        )
        path = invitation_create(user=user, actor=actor)
    return user, path
