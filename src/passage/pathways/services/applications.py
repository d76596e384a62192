"""Pathway applications of a case: added and moved by whoever works the case.

A place of a programme's quota is taken when an application is submitted (or goes straight to
a status after submission) and freed when it is refused or withdrawn (docs/pathways.md).
Taking a place locks the case, then the programme row, and counts the places after the lock,
so a quota of 40 gives exactly 40 places however many people submit at once.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.cases import access, rollups
from passage.cases.exceptions import InvalidInput, TransitionRefused
from passage.cases.models import Case
from passage.cases.services import common as case_common
from passage.pathways.models import HOLDS_PLACE, MOVES, Application, Programme
from passage.pathways.services.common import take_place, text

DECIDED = frozenset({Application.Status.APPROVED, Application.Status.REFUSED})


def application_add(
    *,
    case: Case,
    actor: User,
    programme: Programme,
    reference: str = "",
    next_deadline: dt.date | None = None,
    request_id: str | None = None,
) -> Application:
    """A new application of ``case`` to ``programme``, in preparation (it holds no place)."""
    access.require_working(actor, case)
    reference = text(reference, limit=200)
    with audit.atomic():
        locked = case_common.lock(case)
        counted = rollups.before(locked.pk)
        if not Programme.objects.filter(pk=programme.pk, is_active=True).exists():
            raise InvalidInput(_("This programme is closed: it takes no new applications."))
        application = Application.objects.create(
            case=locked,
            programme=programme,
            created_by=actor,
            reference=reference or None,
            next_deadline=next_deadline,
        )
        case_common.record(
            actor,
            "case.pathway_added",
            locked,
            object_type="pathways.application",
            object_id=str(application.pk),
            request_id=request_id,
        )
        rollups.after(counted)
    return application


def application_change(
    *,
    application: Application,
    actor: User,
    status: str,
    reference: str,
    next_deadline: dt.date | None,
    outcome: str = "",
    on: dt.date | None = None,
    request_id: str | None = None,
) -> Application:
    """Change an application's status, reference number, next deadline or outcome.

    A move into a status that holds a place (from one that does not) takes a place of the
    programme's quota, or is refused with ``QuotaFull``. ``on`` is the day of the move
    (today by default): the submission or decision date.
    """
    access.require_working(actor, application.case)
    if status not in Application.Status.values:
        raise InvalidInput(_("Choose a status."))
    reference = text(reference, limit=200)
    outcome = text(outcome, limit=4000)
    day = on or timezone.localdate()
    with audit.atomic():
        locked = case_common.lock(application.case)
        counted = rollups.before(locked.pk)
        row = Application.objects.select_for_update().get(pk=application.pk, case=locked)
        moved = status != row.status
        if moved and status not in MOVES[row.status]:
            raise TransitionRefused(
                _("An application cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": Application.Status(row.status).label,
                    "new": Application.Status(status).label,
                }
            )
        if moved and status in HOLDS_PLACE and row.status not in HOLDS_PLACE:
            take_place(row.programme)
        if moved and status == Application.Status.SUBMITTED:
            row.submitted_on = day
        if moved and status in DECIDED:
            row.decided_on = day
        row.status = status
        row.reference = reference or None
        row.next_deadline = next_deadline
        row.outcome = outcome or None
        row.save(
            update_fields=[
                "status",
                "reference",
                "next_deadline",
                "outcome",
                "submitted_on",
                "decided_on",
            ]
        )
        case_common.record(
            actor,
            f"case.pathway_{status}" if moved else "case.pathway_changed",
            locked,
            object_type="pathways.application",
            object_id=str(row.pk),
            request_id=request_id,
        )
        rollups.after(counted)
    return row
