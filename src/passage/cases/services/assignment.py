"""Assigning cases to a staff member of their desk, one at a time or many at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent
from passage.cases.services import common

MAX_BULK = 500


def may_be_assigned(user: User, case: Case) -> bool:
    """Whether ``user`` can take ``case``: an active staff member who works its desk."""
    return (
        user.is_active
        and user.suspended_at is None
        and user.partner_id is None
        and user.may(Perm.CASES_WORK)
        and user.memberships.filter(desk_id=case.desk_id).exists()
    )


def _assign(
    locked: Case, assignee: User | None, actor: User, request_id: str | None, note: str = ""
) -> bool:
    if assignee is not None and not may_be_assigned(assignee, locked):
        raise InvalidInput(
            _("%(reference)s: the assignee must work cases on the case's desk.")
            % {"reference": locked.reference}
        )
    new_id = assignee.pk if assignee else None
    if locked.assignee_id == new_id:
        return False
    locked.assignee = assignee
    locked.save(update_fields=["assignee"])
    common.event(
        locked,
        CaseEvent.Kind.ASSIGNED,
        actor=actor,
        subject_user=assignee,
        detail="assigned" if assignee else "unassigned",
        note=note,
    )
    common.record(actor, "case.assigned", locked, request_id=request_id)
    return True


def case_assign(
    *, case: Case, assignee: User | None, actor: User, request_id: str | None = None
) -> bool:
    """Give ``case`` to ``assignee`` (None: nobody). False if nothing changed."""
    access.require_working(actor, case)
    with audit.atomic():
        return _assign(common.lock(case), assignee, actor, request_id)


def case_assign_to_me(*, case: Case, actor: User, request_id: str | None = None) -> bool:
    """The actor takes ``case`` (the queue's "Assign to me"). False if it was theirs already."""
    return case_assign(case=case, assignee=actor, actor=actor, request_id=request_id)


def cases_assign_bulk(
    *,
    case_ids: Iterable[uuid.UUID | str],
    assignee: User | None,
    actor: User,
    note: str = "",
    request_id: str | None = None,
) -> int:
    """Assign many cases at once; all or nothing. Returns how many changed.

    Every case must be one the actor works; an unknown or invisible id refuses the whole batch.
    ``note`` (a handover note) goes on each case's timeline entry, encrypted under its key.
    """
    wanted = list(dict.fromkeys(str(i) for i in case_ids))
    if not wanted:
        raise InvalidInput(_("Choose at least one case."))
    if len(wanted) > MAX_BULK:
        raise InvalidInput(_("Assign at most 500 cases at once."))
    try:
        ids = [uuid.UUID(i) for i in wanted]
    except ValueError:
        raise CaseNotFound(_("No such case.")) from None
    changed = 0
    with audit.atomic():
        cases = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("reference"))
        if len(cases) != len(ids):
            raise CaseNotFound(_("No such case."))
        for case in cases:
            try:
                access.require_working(actor, case)
            except NotAllowed as exc:
                raise NotAllowed(f"{case.reference}: {exc}") from None
            changed += _assign(case, assignee, actor, request_id, note)
    return changed
