"""Legal holds: a case under hold is never shredded by retention until the hold is lifted.

Admins may set and lift holds on any case, desk leads on the cases of the desks they lead;
the reason is required and kept encrypted under the case's key. Both are audited
(``retention.legal_hold_set`` / ``retention.legal_hold_lifted``, naming the case).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.models import Case
from passage.crypto.models import ShredRecord
from passage.retention.exceptions import InvalidInput, NotAllowed
from passage.retention.models import LegalHold

MAX_REASON = 2000


def may_hold(actor: User, case: Case) -> bool:
    """Whether ``actor`` may set or lift a legal hold on ``case``."""
    if not actor.may(Perm.LEGAL_HOLD):
        return False
    if actor.is_admin:
        return True
    return actor.memberships.filter(desk_id=case.desk_id, is_lead=True).exists()


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Give a reason."))
    if len(text) > MAX_REASON:
        raise InvalidInput(_("The reason is too long."))
    return text


def active_hold(case_id: uuid.UUID) -> LegalHold | None:
    return LegalHold.objects.filter(case_id=case_id, lifted_at__isnull=True).first()


def held_case_ids() -> set[uuid.UUID]:
    return set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True))


def legal_hold_set(
    *, actor: User, case: Case, reason: str, now: dt.datetime | None = None
) -> LegalHold:
    """Put ``case`` under legal hold (admin, or lead of its desk); refused if already held."""
    if not may_hold(actor, case):
        raise NotAllowed(_("You may not put this case under legal hold."))
    text = _reason(reason)
    with audit.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if ShredRecord.objects.filter(owner_id=locked.pk).exists():
            raise InvalidInput(_("This case was shredded; there is nothing left to hold."))
        if active_hold(locked.pk) is not None:
            raise InvalidInput(_("This case is already under legal hold."))
        hold = LegalHold(case=locked, set_by=actor, set_at=now or timezone.now(), reason=text)
        hold.save()
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="retention.legal_hold_set",
            object_type="case",
            object_id=str(locked.pk),
        )
    return hold


def legal_hold_lift(
    *, actor: User, case: Case, reason: str, now: dt.datetime | None = None
) -> LegalHold:
    """Lift the active legal hold of ``case`` (admin, or lead of its desk)."""
    if not may_hold(actor, case):
        raise NotAllowed(_("You may not lift this legal hold."))
    text = _reason(reason)
    with audit.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        hold = (
            LegalHold.objects.select_for_update()
            .filter(case=locked, lifted_at__isnull=True)
            .first()
        )
        if hold is None:
            raise InvalidInput(_("This case is not under legal hold."))
        hold.lifted_at = now or timezone.now()
        hold.lifted_by = actor
        hold.lift_reason = text
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="retention.legal_hold_lifted",
            object_type="case",
            object_id=str(locked.pk),
        )
    return hold
