"""Moving a case to another desk (a person moves from origin to transit to settlement).

Only a lead of the receiving desk moves a case there: the desk-transfer flow
(``passage.workload.services``) asks them and calls this when they accept. What happens:

- the case's desk changes and its priority is recomputed (desk boosts differ);
- the timeline gets a ``desk`` entry (the handover note, encrypted under the case's key);
- an assignee who does not work cases on the new desk is unassigned (timeline and audit too);
- duplicate flags and partner shares stay as they are: flags pair cases, not desks (the
  cross-desk alert was raised when the match was found), and a share rests on the person's
  consent to an organisation, which a desk change does not alter.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import rollups
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent
from passage.cases.services import common
from passage.cases.services.assignment import may_be_assigned


def leads_desk(user: User, desk_id: uuid.UUID) -> bool:
    """Whether ``user`` may oversee ``desk_id`` as one of its leads."""
    return (
        user.may(Perm.DESK_OVERSEE)
        and user.memberships.filter(desk_id=desk_id, is_lead=True).exists()
    )


def case_desk_move(
    *,
    case: Case,
    to_desk: Desk,
    actor: User,
    note: str = "",
    request_id: str | None = None,
) -> bool:
    """Move ``case`` to ``to_desk`` as a lead of that desk. Returns whether the assignee was
    taken off (they do not work the new desk)."""
    if not leads_desk(actor, to_desk.pk):
        raise NotAllowed(_("Only a lead of the receiving desk can take a case onto it."))
    if not to_desk.is_active:
        raise InvalidInput(_("That desk is closed."))
    with audit.atomic():
        locked = common.lock(case)
        counted = rollups.before(locked.pk)
        if locked.desk_id == to_desk.pk:
            raise InvalidInput(_("The case is on that desk already."))
        if locked.merged_into_id is not None or not locked.is_open:
            raise NotAllowed(_("Only an open case can move to another desk."))
        if locked.is_frozen:
            raise NotAllowed(_("A frozen case cannot move until its desk lead unfreezes it."))
        locked.desk = to_desk
        fields = ["desk", *common.apply_priority(locked)]
        assignee = locked.assignee
        unassigned = assignee is not None and not may_be_assigned(assignee, locked)
        if unassigned:
            locked.assignee = None
            fields.append("assignee")
        locked.save(update_fields=fields)
        common.event(locked, CaseEvent.Kind.DESK, actor=actor, note=note, detail="moved")
        common.record(actor, "case.desk_moved", locked, request_id=request_id)
        if unassigned:
            common.event(
                locked,
                CaseEvent.Kind.ASSIGNED,
                actor=actor,
                subject_user=None,
                detail="unassigned",
            )
            common.record(actor, "case.assigned", locked, request_id=request_id)
        rollups.after(counted)
    case.refresh_from_db()
    return unassigned
