"""Passwords: the rules for new ones, setting one (invitation) and changing one's own.

Hashes are Argon2id (``PASSWORD_HASHERS``). Rules: Django's validators from settings (at least
12 characters, not a common password, not all digits) and not containing the username.
"""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts import sessions
from passage.accounts.models import User
from passage.accounts.services import sessions as session_services
from passage.audit import services as audit


def password_check(password: str, *, user: User) -> None:
    """Raise ``ValidationError`` (with every message that applies) if ``password`` is refused."""
    problems: list[ValidationError] = []
    try:
        validate_password(password, user)
    except ValidationError as exc:
        problems.extend(exc.error_list)
    if len(user.username) >= 3 and user.username.casefold() in password.casefold():
        problems.append(
            ValidationError(_("The password must not contain your username."), code="username")
        )
    if problems:
        raise ValidationError(problems)


def password_set(*, user: User, password: str, actor: str) -> None:
    """Set a new password after checking the rules (``ValidationError`` if refused). Audited."""
    password_check(password, user=user)
    with audit.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        audit.record(
            actor=actor, action="account.password_set", object_type="user", object_id=str(user.pk)
        )


def password_change(*, request: HttpRequest, user: User, password: str) -> int:
    """Change one's own password: every other session of the user ends. Returns how many.

    The caller has checked the current password and a fresh second factor (step-up).
    """
    with audit.atomic():
        password_set(user=user, password=password, actor=audit.actor_for("user", user.pk))
        current = session_services.current_staff_session(request)
        ended = session_services.sessions_end_all_for(
            user=user, actor=audit.actor_for("user", user.pk), keep=current
        )
        # This session stays signed in (Django would otherwise end it with the old hash).
        update_session_auth_hash(request, user)
        if current is not None and request.session.session_key:
            # update_session_auth_hash rotated the key: the row follows it.
            current.session_key_hash = sessions.key_hash(request.session.session_key)
            current.save(update_fields=["session_key_hash"])
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.password_changed",
            object_type="user",
            object_id=str(user.pk),
        )
    return ended
