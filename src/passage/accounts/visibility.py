"""Who may see a case: the one place that decides it.

Cases live in a higher app (``passage.cases``), so this is a pure function over ids plus the
break-glass grants query: the cases app passes what it knows of a case and gets back the level of
access. Callers answer ``NONE`` with a 404, never a 403, so a case's existence is not confirmed.

- A staff member on the case's desk (with ``Perm.CASES_VIEW_DESK``) or its assignee: yes.
- A staff member with an active break-glass grant for the case: yes, flagged as break-glass.
- A partner user: only if their organisation referred the case or it was shared with it (the
  sections shared are the cases app's business); never through desks or break-glass.
- An interpreter (``Perm.INTERPRET``) named in ``interpreter_ids`` (the case's active interpreter
  assignments, which only the interpreting app passes): yes, as ``INTERPRETER``, and only for the
  interpreter pages (narrative, messages, contact log); every other case page refuses it.
- A frozen case (suspected hostile, duress): partner access, interpreters and break-glass are
  suspended; the desk and the assignee keep access, because they may have to act at once.
- Anyone else, and any inactive or suspended account: no.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from passage.accounts.models import AccessGrant, User
from passage.accounts.roles import Perm


class Access(enum.Enum):
    NONE = "none"
    DESK = "desk"
    ASSIGNEE = "assignee"
    BREAK_GLASS = "break_glass"
    PARTNER = "partner"
    INTERPRETER = "interpreter"

    def __bool__(self) -> bool:
        return self is not Access.NONE

    @property
    def is_break_glass(self) -> bool:
        return self is Access.BREAK_GLASS


def active_grants(
    user: User, *, object_id: uuid.UUID | None = None, now: dt.datetime | None = None
) -> QuerySet[AccessGrant]:
    """The user's break-glass grants that are neither expired nor revoked."""
    moment = now or timezone.now()
    grants = AccessGrant.objects.filter(
        user=user, object_type="case", revoked_at__isnull=True, expires_at__gt=moment
    )
    if object_id is not None:
        grants = grants.filter(object_id=object_id)
    return grants


def _same(a: uuid.UUID | str | None, b: uuid.UUID | str | None) -> bool:
    return a is not None and b is not None and str(a) == str(b)


def case_access(
    user: User,
    *,
    case_id: uuid.UUID,
    desk_id: uuid.UUID | None,
    referred_by_partner_id: uuid.UUID | None = None,
    shared_with_partner_ids: Iterable[uuid.UUID] = (),
    assignee_id: uuid.UUID | None = None,
    frozen: bool = False,
    interpreter_ids: Iterable[uuid.UUID] = (),
) -> Access:
    """How ``user`` may see the case ``case_id`` of desk ``desk_id`` (``Access.NONE``: not)."""
    if not user.is_authenticated or not user.is_active or user.suspended_at is not None:
        return Access.NONE
    if user.partner_id is not None:
        if frozen:
            return Access.NONE
        partners = {str(p) for p in shared_with_partner_ids}
        if referred_by_partner_id is not None:
            partners.add(str(referred_by_partner_id))
        if user.may(Perm.PARTNER_PORTAL) and str(user.partner_id) in partners:
            return Access.PARTNER
        return Access.NONE
    if not user.may(Perm.CONSOLE):
        return Access.NONE
    if (
        desk_id is not None
        and user.may(Perm.CASES_VIEW_DESK)
        and user.memberships.filter(desk_id=desk_id).exists()
    ):
        return Access.DESK
    if _same(assignee_id, user.pk):
        return Access.ASSIGNEE
    if (
        not frozen
        and user.may(Perm.INTERPRET)
        and any(_same(interpreter, user.pk) for interpreter in interpreter_ids)
    ):
        return Access.INTERPRETER
    if (
        not frozen
        and user.may(Perm.CASES_BREAK_GLASS)
        and active_grants(user, object_id=case_id).exists()
    ):
        return Access.BREAK_GLASS
    return Access.NONE
