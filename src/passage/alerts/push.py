"""Pushing critical alerts outside the app: who is told, the deliveries, escalation, retries.

Every critical alert is pushed when it is raised (``plan_initial``, called by ``alert_raise``
inside its transaction): to the people on call for the alert's desk, or, when nobody on call can
be reached, the desk's lead(s), then the admins (the kind's ``Policy.told``). While the alert is
not acknowledged, each escalation step of the policy pushes once more (``escalate``): by
default to the desk lead(s) after 15 minutes, to the admins after 30.

A push says only ``PUSH_TEXT`` ("1 new critical alert"): no code, no reference, nothing about
the organisation (DESIGN invariant 8). It goes by webhook (a POST of that text, e.g. to a
self-hosted ntfy or Gotify) and/or e-mail, to the addresses an admin set for the person
(``PushDestination``, encrypted). Each push is a ``PushDelivery`` row, created in the alert's
transaction and sent by the ``deliver_pushes`` task after commit; a failure is logged (the
exception class only, never an address), recorded on the row and retried by the periodic sweep
(``retry_due``) with a growing pause, up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import urllib.request
import uuid
from collections.abc import Iterable
from urllib.error import HTTPError

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert, OnCallShift, PushDelivery, PushDestination
from passage.audit import services as audit

logger = logging.getLogger(__name__)

PUSH_TEXT = _("1 new critical alert")
MAX_ATTEMPTS = 6
# The pause before the retry after the n-th failed attempt (the last one repeats).
RETRY_PAUSES = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=10),
    dt.timedelta(minutes=30),
)
# A push the task has not sent this long after it was planned is sent by the periodic sweep.
SWEEP_PICKUP = dt.timedelta(minutes=2)
# Claiming a push for sending holds it this long (a worker that dies mid-send frees it then).
CLAIM_HOLD = dt.timedelta(minutes=2)

TOLD_AS = {
    kinds.ON_CALL: PushDelivery.ToldAs.ON_CALL,
    kinds.DESK_LEAD: PushDelivery.ToldAs.DESK_LEAD,
    kinds.ADMIN: PushDelivery.ToldAs.ADMIN,
}


class PushFailed(Exception):
    """A push could not be delivered (the class name is all that is logged and kept)."""


class EmailNotConfigured(PushFailed):
    """No SMTP server is configured (PASSAGE_EMAIL_HOST): e-mail pushes cannot leave."""


class WebhookRefused(PushFailed):
    """The webhook answered with a status that is not 2xx."""


class NoDestination(PushFailed):
    """The person's push address was removed after the push was planned."""


# --- who is told ---------------------------------------------------------------------------


def on_call(desk_id: uuid.UUID, at: dt.datetime) -> list[User]:
    """The active users on call for the desk at ``at``."""
    user_ids = OnCallShift.objects.filter(
        desk_id=desk_id, starts_at__lte=at, ends_at__gt=at
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("username"))


def recipients(level: str, desk_id: uuid.UUID | None, at: dt.datetime) -> list[User]:
    """The active users of one level of ``Policy.told`` for an alert of ``desk_id``."""
    if level == kinds.ON_CALL:
        return on_call(desk_id, at) if desk_id else []
    if level == kinds.DESK_LEAD:
        if desk_id is None:
            return []
        leads = User.objects.filter(
            memberships__desk_id=desk_id, memberships__is_lead=True, is_active=True
        )
        return list(leads.distinct().order_by("username"))
    if level == kinds.ADMIN:
        admins = User.objects.filter(role_grants__role=Role.ADMIN, is_active=True)
        return list(admins.distinct().order_by("username"))
    raise ValueError(f"unknown level {level!r}")


def _plan(
    alert: Alert, step: int, levels: Iterable[str], now: dt.datetime, *, enqueue: bool = True
) -> list[PushDelivery]:
    """Push rows for the first level of ``levels`` that reaches somebody (those it could not
    reach are recorded too, as ``no_destination``, so admins see the gap); with ``enqueue``,
    the delivery task is queued after commit."""
    planned: list[PushDelivery] = []
    seen: set[uuid.UUID] = set()  # one row set per person and step, whatever their levels
    for level in levels:
        users = [u for u in recipients(level, alert.target_desk_id, now) if u.pk not in seen]
        seen.update(u.pk for u in users)
        destinations = {
            d.user_id: d for d in PushDestination.objects.filter(user__in=[u.pk for u in users])
        }
        reachable = False
        for user in users:
            destination = destinations.get(user.pk)
            channels = []
            if destination is not None and destination.has_webhook:
                channels.append(PushDelivery.Channel.WEBHOOK)
            if destination is not None and destination.has_email:
                channels.append(PushDelivery.Channel.EMAIL)
            reachable = reachable or bool(channels)
            for channel in channels or [PushDelivery.Channel.NONE]:
                none = channel == PushDelivery.Channel.NONE
                planned.append(
                    PushDelivery(
                        alert=alert,
                        user=user,
                        step=step,
                        told_as=TOLD_AS[level],
                        channel=channel,
                        status=(
                            PushDelivery.Status.NO_DESTINATION
                            if none
                            else PushDelivery.Status.PENDING
                        ),
                        created_at=now,
                        next_attempt_at=None if none else now + SWEEP_PICKUP,
                    )
                )
        if reachable:
            break
    PushDelivery.objects.bulk_create(planned)
    to_send = [str(p.pk) for p in planned if p.status == PushDelivery.Status.PENDING]
    if to_send and enqueue:
        transaction.on_commit(lambda: _enqueue_delivery(to_send))
    return planned


def _enqueue_delivery(delivery_ids: list[str]) -> None:
    from passage.alerts.tasks import deliver_pushes

    try:
        deliver_pushes.enqueue(delivery_ids)
    except Exception as exc:  # the sweep sends what the task did not
        logger.error("Queueing %d push(es) failed (%s)", len(delivery_ids), type(exc).__name__)


def _enqueue_escalation(alert_id: str, at: dt.datetime) -> None:
    from passage.alerts.tasks import escalate_alert

    try:
        escalate_alert.using(run_after=at).enqueue(alert_id)
    except Exception as exc:  # the sweep escalates what the task did not
        logger.error("Queueing an escalation failed (%s)", type(exc).__name__)


def plan_initial(alert: Alert, *, now: dt.datetime) -> list[PushDelivery]:
    """The pushes of a just-raised alert (none unless it is critical), in its transaction.

    After commit: the delivery task, and one escalation task at the time of each escalation
    step (the periodic sweep does the same, later, if the worker missed it)."""
    if alert.severity != Alert.Severity.CRITICAL:
        return []
    policy = kinds.policy_of(alert.code)
    planned = _plan(alert, 0, policy.told, now)
    audit.record(
        actor="system", action="alert.pushed", object_type="alert", object_id=str(alert.pk)
    )
    alert_id = str(alert.pk)
    for escalation in policy.escalation:
        at = alert.created_at + escalation.after
        transaction.on_commit(lambda at=at: _enqueue_escalation(alert_id, at))  # type: ignore[misc]
    return planned


# --- escalation -----------------------------------------------------------------------------


def _earliest_step() -> dt.timedelta:
    steps = [s.after for kind in kinds.KINDS.values() for s in kind.policy.escalation]
    return min(steps, default=dt.timedelta(minutes=15))


def _most_steps() -> int:
    return max((len(kind.policy.escalation) for kind in kinds.KINDS.values()), default=0)


def escalate(*, now: dt.datetime | None = None, alert_ids: Iterable[str] | None = None) -> int:
    """Take every escalation step that is due on unacknowledged critical alerts, and send its
    pushes (this runs in the worker already); the number of steps taken. Idempotent: each step
    happens once per alert (a conditional update on the alert's ``escalation_step`` decides, so
    two sweeps at once cannot both take it)."""
    moment = now or timezone.now()
    candidates = Alert.objects.filter(
        severity=Alert.Severity.CRITICAL,
        status=Alert.Status.NEW,
        created_at__lte=moment - _earliest_step(),
        escalation_step__lt=_most_steps(),
    )
    if alert_ids is not None:
        candidates = candidates.filter(pk__in=list(alert_ids))
    taken = 0
    for alert in candidates.order_by("created_at"):
        policy = kinds.policy_of(alert.code)
        while alert.escalation_step < len(policy.escalation):
            escalation = policy.escalation[alert.escalation_step]
            if alert.created_at + escalation.after > moment:
                break
            with audit.atomic():
                changed = Alert.objects.filter(
                    pk=alert.pk, status=Alert.Status.NEW, escalation_step=alert.escalation_step
                ).update(escalation_step=F("escalation_step") + 1)
                if not changed:
                    break
                # A desk without a reachable lead: the admins, at once.
                levels = list(dict.fromkeys([escalation.to, kinds.ADMIN]))
                planned = _plan(alert, alert.escalation_step + 1, levels, moment, enqueue=False)
                audit.record(
                    actor="system",
                    action="alert.escalated",
                    object_type="alert",
                    object_id=str(alert.pk),
                )
            alert.escalation_step += 1
            taken += 1
            for delivery in planned:
                if delivery.status == PushDelivery.Status.PENDING:
                    deliver(delivery.pk, now=moment)
    return taken


# --- delivery -------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is an error: the text is POSTed once, to the address set


def _post(url: str, text: str) -> None:
    if not url.lower().startswith(("https://", "http://")):
        raise PushFailed("not an http(s) address")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked just above)
        url,
        data=text.encode("utf-8"),
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8", "User-Agent": "push"},
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=settings.PASSAGE_PUSH_TIMEOUT_SECONDS) as response:
            status = response.status
    except HTTPError as exc:
        exc.close()
        raise WebhookRefused(str(exc.code)) from None
    if not 200 <= status < 300:
        raise WebhookRefused(str(status))


def _mail(address: str, text: str) -> None:
    if settings.EMAIL_BACKEND.endswith("dummy.EmailBackend"):
        raise EmailNotConfigured("PASSAGE_EMAIL_HOST is not set")
    EmailMessage(subject=text, body=text, to=[address]).send()


def _send(delivery: PushDelivery) -> None:
    destination = PushDestination.objects.filter(user_id=delivery.user_id).first()
    with translation.override(settings.LANGUAGE_CODE):
        text = str(PUSH_TEXT)
    if delivery.channel == PushDelivery.Channel.WEBHOOK:
        if destination is None or not destination.has_webhook:
            raise NoDestination("webhook removed")
        _post(destination.webhook_url, text)
    elif delivery.channel == PushDelivery.Channel.EMAIL:
        if destination is None or not destination.has_email:
            raise NoDestination("e-mail removed")
        _mail(destination.email, text)
    else:
        raise NoDestination("no channel")


def _class_name(exc: BaseException) -> str:
    cls = type(exc)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def deliver(delivery_id: str | uuid.UUID, *, now: dt.datetime | None = None) -> bool:
    """Send one push if it is still to be sent (claimed first, so two workers never both send
    it); True if it went out. A failure is recorded (exception class only) and logged."""
    moment = now or timezone.now()
    row = PushDelivery.objects.filter(pk=delivery_id).first()
    if row is None or row.status not in {PushDelivery.Status.PENDING, PushDelivery.Status.FAILED}:
        return False
    due = row.status == PushDelivery.Status.PENDING and row.attempts == 0
    due = due or (row.next_attempt_at is not None and row.next_attempt_at <= moment)
    if not due:
        return False
    with audit.atomic():
        claimed = PushDelivery.objects.filter(
            pk=row.pk, status=row.status, attempts=row.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=moment + CLAIM_HOLD)
    if not claimed:
        return False
    attempts = row.attempts + 1
    error = ""
    try:
        _send(row)
    except Exception as exc:  # any failure is recorded and retried, never raised to the caller
        error = _class_name(exc)
        # The class only: a message may hold the address or the server's answer.
        logger.warning("Push %s failed (%s), attempt %d", row.pk, error, attempts)
    if error:
        gave_up = attempts >= MAX_ATTEMPTS
        pause = RETRY_PAUSES[min(attempts, len(RETRY_PAUSES)) - 1]
        fields = {
            "status": PushDelivery.Status.GAVE_UP if gave_up else PushDelivery.Status.FAILED,
            "last_error": error[:120],
            "next_attempt_at": None if gave_up else moment + pause,
        }
        action = "alert.push_failed"
    else:
        fields = {
            "status": PushDelivery.Status.SENT,
            "sent_at": moment,
            "next_attempt_at": None,
            "last_error": "",
        }
        action = "alert.push_sent"
        logger.info("Push %s sent, attempt %d", row.pk, attempts)
    with audit.atomic():
        PushDelivery.objects.filter(pk=row.pk).update(**fields)
        audit.record(
            actor="system", action=action, object_type="push_delivery", object_id=str(row.pk)
        )
    return not error


def retry_due(*, now: dt.datetime | None = None) -> int:
    """Send every push whose retry (or pick-up by the sweep) is due; the number that went out."""
    moment = now or timezone.now()
    due = PushDelivery.objects.filter(
        Q(status=PushDelivery.Status.PENDING) | Q(status=PushDelivery.Status.FAILED),
        next_attempt_at__lte=moment,
    ).order_by("next_attempt_at")
    return sum(deliver(pk, now=moment) for pk in due.values_list("pk", flat=True))
