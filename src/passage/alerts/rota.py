"""Writes of the on-call rota, the push destinations and the drills (each audited).

Who may: a desk's rota and its drills, its lead(s) and the admins (``Perm.ONCALL_MANAGE`` and
``may_manage_desk``); where a person's pushes go, admins (``Perm.PUSH_MANAGE``). Refusals raise
``RotaRefused`` with a message for the person (the views show it, with a 4xx or on the form).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, Membership, User
from passage.accounts.roles import Perm
from passage.alerts import kinds
from passage.alerts.models import Alert, Drill, OnCallShift, PushDestination
from passage.alerts.services import alert_raise
from passage.audit import services as audit

MAX_SHIFT = dt.timedelta(days=14)
WEBHOOK_VALIDATOR = URLValidator(schemes=["https", "http"])


class RotaRefused(ValueError):
    """The write is not allowed or its input is wrong; ``str()`` is a message for the person."""


def _actor(user: User) -> str:
    return audit.actor_for("user", user.pk)


def may_manage_desk(user: User, desk: Desk) -> bool:
    """Whether ``user`` keeps ``desk``'s rota and runs its drills: an admin, or its lead."""
    if not user.is_authenticated or not user.may(Perm.ONCALL_MANAGE):
        return False
    if user.is_admin:
        return True
    return Membership.objects.filter(user=user, desk=desk, is_lead=True).exists()


def may_be_on_call(user: User, desk: Desk) -> bool:
    """An active staff member of the desk who sees alerts (never a partner's person)."""
    return (
        user.is_active
        and user.partner_id is None
        and user.may(Perm.ALERTS_VIEW)
        and Membership.objects.filter(user=user, desk=desk).exists()
    )


def shift_add(
    *,
    desk: Desk,
    user: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> OnCallShift:
    """Put ``user`` on call for ``desk`` from ``starts_at`` to ``ends_at`` (at most 14 days,
    not ending in the past). Raises ``RotaRefused``."""
    moment = now or timezone.now()
    if not may_manage_desk(actor, desk):
        raise RotaRefused(_("Only the desk's lead or an admin can change its rota."))
    if not desk.is_active:
        raise RotaRefused(_("This desk is closed."))
    if not may_be_on_call(user, desk):
        raise RotaRefused(_("Only an active staff member of this desk can be on call for it."))
    if ends_at <= starts_at:
        raise RotaRefused(_("The shift must end after it starts."))
    if ends_at - starts_at > MAX_SHIFT:
        raise RotaRefused(_("A shift can be at most 14 days long."))
    if ends_at <= moment:
        raise RotaRefused(_("The shift would already be over."))
    with audit.atomic():
        shift = OnCallShift.objects.create(
            desk=desk,
            user=user,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=actor,
            created_at=moment,
        )
        audit.record(
            actor=_actor(actor),
            action="oncall.shift_added",
            object_type="oncall_shift",
            object_id=str(shift.pk),
            request_id=request_id,
        )
    return shift


def shift_remove(*, shift: OnCallShift, actor: User, request_id: str | None = None) -> None:
    """Take a shift off the rota. Raises ``RotaRefused``."""
    if not may_manage_desk(actor, shift.desk):
        raise RotaRefused(_("Only the desk's lead or an admin can change its rota."))
    with audit.atomic():
        shift_id = str(shift.pk)
        OnCallShift.objects.filter(pk=shift.pk).delete()
        audit.record(
            actor=_actor(actor),
            action="oncall.shift_removed",
            object_type="oncall_shift",
            object_id=shift_id,
            request_id=request_id,
        )


def destination_set(
    *,
    user: User,
    webhook_url: str,
    email: str,
    actor: User,
    request_id: str | None = None,
) -> PushDestination:
    """Set where ``user``'s pushes go (empty strings clear a channel). Admins only; the
    addresses are encrypted and never logged or audited. Raises ``RotaRefused``."""
    if not actor.may(Perm.PUSH_MANAGE):
        raise RotaRefused(_("Only an admin can set where pushes go."))
    if user.partner_id is not None:
        raise RotaRefused(_("People of partner organisations get no pushes."))
    webhook_url = webhook_url.strip()
    email = email.strip()
    try:
        if webhook_url:
            WEBHOOK_VALIDATOR(webhook_url)
    except ValidationError:
        raise RotaRefused(_("The webhook must be an https:// (or http://) address.")) from None
    try:
        if email:
            EmailValidator()(email)
    except ValidationError:
        raise RotaRefused(_("This is not an e-mail address.")) from None
    with audit.atomic():
        destination = PushDestination.objects.filter(user=user).first() or PushDestination(
            user=user
        )
        destination.webhook_url = webhook_url
        destination.email = email
        destination.has_webhook = bool(webhook_url)
        destination.has_email = bool(email)
        destination.updated_at = timezone.now()
        destination.updated_by = actor
        destination.save()
        audit.record(
            actor=_actor(actor),
            action="push.destination_set",
            object_type="user",
            object_id=str(user.pk),
            request_id=request_id,
        )
    return destination


def destination_reveal(
    *, user: User, actor: User, request_id: str | None = None
) -> PushDestination | None:
    """``user``'s push addresses, decrypted for the admin's edit page; the view is audited
    (``push.destination_viewed``: who looked at whose, never the addresses)."""
    if not actor.may(Perm.PUSH_MANAGE):
        raise RotaRefused(_("Only an admin can see where pushes go."))
    destination = PushDestination.objects.filter(user=user).first()
    if destination is None:
        return None
    with audit.atomic():
        audit.record(
            actor=_actor(actor),
            action="push.destination_viewed",
            object_type="user",
            object_id=str(user.pk),
            request_id=request_id,
        )
    return destination


def drill_start(
    *, desk: Desk, actor: User, request_id: str | None = None, now: dt.datetime | None = None
) -> Drill:
    """Send a test critical alert for ``desk`` through the real path (rota, push, escalation);
    its acknowledgement time is recorded. Raises ``RotaRefused``."""
    moment = now or timezone.now()
    if not may_manage_desk(actor, desk):
        raise RotaRefused(_("Only the desk's lead or an admin can start a drill."))
    if not desk.is_active:
        raise RotaRefused(_("This desk is closed."))
    drill_id = uuid.uuid4()
    with audit.atomic():
        alert = alert_raise(
            code=kinds.DRILL,
            severity=Alert.Severity.CRITICAL,
            target_desk=desk,
            object_type="drill",
            object_id=str(drill_id),
            actor=actor,
            request_id=request_id,
            now=moment,
        )
        drill = Drill.objects.create(
            id=drill_id, desk=desk, alert=alert, started_by=actor, started_at=moment
        )
        audit.record(
            actor=_actor(actor),
            action="alert.drill_started",
            object_type="drill",
            object_id=str(drill.pk),
            request_id=request_id,
        )
    return drill
