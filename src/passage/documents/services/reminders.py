"""The daily sweep over expiry dates: remind 60, 30 and 7 days ahead, mark expired after.

Idempotent and safe to run twice at once: each reminder is claimed by a conditional update of
the document's ``reminded_days`` (the smallest threshold handled for its expiry date) before the
alert is raised, in one transaction, so a second run (or a concurrent one) finds it claimed. A
document first seen inside several thresholds (e.g. recorded 20 days before its expiry) gets
one reminder, for the nearest threshold. Alerts carry the case reference and a threshold code,
never anything about the document or the person.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.documents.models import REMINDER_DAYS, PersonDocument

SYSTEM = "system"


def threshold_for(days_left: int) -> int | None:
    """The nearest reminder threshold a document ``days_left`` days from expiry is inside."""
    inside = [days for days in REMINDER_DAYS if days_left <= days]
    return min(inside) if inside else None


def _candidates(today: dt.date) -> list[PersonDocument]:
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    return list(
        PersonDocument.objects.filter(
            status__in=PersonDocument.VALID,
            expires_on__isnull=False,
            expires_on__gte=today,
            expires_on__lte=horizon,
            case__merged_into__isnull=True,
            case__closed_at__isnull=True,
        )
        .select_related("case", "case__desk", "case__assignee")
        .order_by("expires_on", "pk")
    )


def _remind(document: PersonDocument, threshold: int) -> bool:
    with audit.atomic():
        claimed = (
            PersonDocument.objects.filter(pk=document.pk, expires_on=document.expires_on)
            .filter(Q(reminded_days__isnull=True) | Q(reminded_days__gt=threshold))
            .update(reminded_days=threshold)
        )
        if not claimed:
            return False
        case = document.case
        unassigned = case.assignee is None
        alert_raise(
            code=kinds.DOCUMENT_EXPIRING,
            severity=Alert.Severity.WARNING,
            # The assignee, or the caseworkers of the desk when nobody is assigned.
            target_user=case.assignee,
            target_role=Role.CASEWORKER if unassigned else None,
            target_desk=case.desk if unassigned else None,
            case_reference=case.reference,
            details=(f"in_{threshold}_days",),
            object_type="case",
            object_id=str(case.pk),
            actor=SYSTEM,
        )
        audit.record(
            actor=SYSTEM,
            action="document.expiry_reminded",
            object_type="document",
            object_id=str(document.pk),
        )
    return True


def _expire(today: dt.date) -> int:
    expired = 0
    due = PersonDocument.objects.filter(
        status__in=PersonDocument.VALID, expires_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with audit.atomic():
            claimed = PersonDocument.objects.filter(
                pk=pk, status__in=PersonDocument.VALID, expires_on__lt=today
            ).update(status=PersonDocument.Status.EXPIRED, updated_at=timezone.now())
            if not claimed:
                continue
            audit.record(
                actor=SYSTEM,
                action="document.expired",
                object_type="document",
                object_id=str(pk),
            )
        expired += 1
    return expired


def expiry_sweep(*, today: dt.date | None = None) -> int:
    """Send the reminders that are due and mark documents past their date expired.

    Returns how many reminders were sent plus how many documents were marked expired.
    """
    day = today or timezone.localdate()
    sent = 0
    for document in _candidates(day):
        expires_on = document.expires_on
        threshold = None if expires_on is None else threshold_for((expires_on - day).days)
        if threshold is None:
            continue
        if document.reminded_days is not None and document.reminded_days <= threshold:
            continue
        sent += _remind(document, threshold)
    return sent + _expire(day)
