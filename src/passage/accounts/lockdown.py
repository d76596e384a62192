"""Is an emergency lockdown in force? The cheap checks every layer above accounts may call.

``lockdown_active()`` is one indexed query (``accounts_lockdown_state``) on a table with a row
per lockdown ever proposed: sign-in, the staff session middleware and every export check it.
``exports_disabled()`` is what export endpoints ask (today: exactly while a lockdown is
active). Writes (proposing, confirming, lifting) are in ``passage.accounts.services.lockdown``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Lockdown

__all__ = ["EXPORTS_DISABLED_MESSAGE", "current_lockdown", "exports_disabled", "lockdown_active"]

# Shown by every export endpoint that refuses (status 409 or 403, see docs/lockdown.md).
EXPORTS_DISABLED_MESSAGE = _(
    "Exports are disabled during the emergency lockdown. Ask an admin when it will be lifted."
)


def _active() -> Lockdown | None:
    return (
        Lockdown.objects.filter(lifted_at__isnull=True, confirmed_at__isnull=False)
        .order_by("-confirmed_at")
        .first()
    )


def current_lockdown() -> Lockdown | None:
    """The lockdown in force, if there is one."""
    return _active()


def lockdown_active() -> bool:
    """Whether an emergency lockdown is in force (confirmed by two admins, not lifted)."""
    return Lockdown.objects.filter(lifted_at__isnull=True, confirmed_at__isnull=False).exists()


def exports_disabled() -> bool:
    """Whether every export (case exports, CSV, PDF letters, bundles) must be refused now."""
    return lockdown_active()
