"""Break-glass: a staff member opens one case of another desk for a limited time, with a reason.

The grant lasts ``PASSAGE_BREAK_GLASS_SECONDS`` (one hour by default), its reason is encrypted,
and the opening is audited. Admins must be alerted: accounts may not import alerts (DESIGN.md
layers), so the alert is raised by ``passage.alerts.services.break_glass_open``, which wraps this
service in one transaction. Views call that orchestrator, not this function.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.exceptions import AccountError
from passage.accounts.models import AccessGrant, User
from passage.accounts.roles import Perm
from passage.audit import services as audit

MIN_REASON_LENGTH = 15


class BreakGlassRefused(AccountError):
    """Break-glass was refused; the message is safe to show to the user."""


def break_glass_open(
    *,
    user: User,
    case_id: uuid.UUID,
    desk_id: uuid.UUID,
    reason: str,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> AccessGrant:
    """Grant ``user`` access to case ``case_id`` (of desk ``desk_id``) for one hour.

    Requires ``Perm.CASES_BREAK_GLASS``, a reason of at least 15 characters, and that the user is
    not on that desk already (they need no break-glass then). An active grant for the same case is
    not extended: a new grant (and a new audit entry and alert) is made, so every opening leaves
    its own trace. Raises ``BreakGlassRefused``.
    """
    if not user.is_active or not user.may(Perm.CASES_BREAK_GLASS):
        raise BreakGlassRefused(_("You may not open cases of other desks."))
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise BreakGlassRefused(
            _("Give the reason in at least %(count)d characters.") % {"count": MIN_REASON_LENGTH}
        )
    if user.memberships.filter(desk_id=desk_id).exists():
        raise BreakGlassRefused(_("This case is on your desk: open it without break-glass."))
    granted_at = now or timezone.now()
    with audit.atomic():
        grant = AccessGrant.objects.create(
            user=user,
            object_type="case",
            object_id=case_id,
            desk_id=desk_id,
            reason=reason,
            granted_at=granted_at,
            expires_at=granted_at + dt.timedelta(seconds=settings.PASSAGE_BREAK_GLASS_SECONDS),
        )
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="access.break_glass_opened",
            object_type="case",
            object_id=str(case_id),
            request_id=request_id,
        )
    return grant
