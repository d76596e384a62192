"""Background work of critical alerts: sending pushes, escalating, and the periodic sweep.

``deliver_pushes`` and ``escalate_alert`` are queued by ``alert_raise`` after commit (the
escalation ones with ``run_after`` at each step's time, so a step is taken within seconds of
being due when the worker runs). ``push_sweep`` is a periodic job (``PASSAGE_PERIODIC_JOBS``)
that takes whatever those tasks missed (worker down, queueing failed) and retries failed
pushes; it is idempotent, so it is safe to run twice or beside the tasks.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from passage.alerts import push


@task()
def deliver_pushes(delivery_ids: list[str]) -> int:
    """Send the given pushes (those not sent yet); the number that went out."""
    return sum(push.deliver(delivery_id) for delivery_id in delivery_ids)


@task()
def escalate_alert(alert_id: str) -> int:
    """Take the escalation steps of one alert that are due now (none once acknowledged)."""
    return push.escalate(alert_ids=[alert_id])


def push_sweep(now: dt.datetime | None = None) -> int:
    """The periodic job: escalation steps that are due, then pushes due for a (re)try.

    Returns the number of escalation steps taken plus pushes sent."""
    moment = now or timezone.now()
    return push.escalate(now=moment) + push.retry_due(now=moment)
