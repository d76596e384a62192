"""Who may see and work a case, from the case's own facts.

``accounts.visibility.case_access`` decides; this module hands it what a case knows (desk,
assignee, referring partner, active shares, freeze) and builds the matching queryset for lists,
so a list never shows a case that its page would refuse. Writes need more than seeing: the
actor must be on the case's desk or its assignee (break-glass and partner access are for
reading), and hold the permission.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.accounts.visibility import Access, active_grants, case_access
from passage.cases.exceptions import CaseNotFound, NotAllowed
from passage.cases.models import Case, CaseShare

WORKING = frozenset({Access.DESK, Access.ASSIGNEE})


def shared_partner_ids(case: Case) -> list[uuid.UUID]:
    return list(
        CaseShare.objects.filter(case=case, revoked_at__isnull=True).values_list(
            "partner_id", flat=True
        )
    )


def access_to(user: User, case: Case, *, interpreter_ids: Iterable[uuid.UUID] = ()) -> Access:
    """How ``user`` may see ``case`` (``Access.NONE``: not at all).

    ``interpreter_ids`` are the case's active interpreters: only the interpreting app knows them
    and passes them, for its own pages; everywhere else nobody sees a case as its interpreter.
    """
    if not isinstance(user, User):
        return Access.NONE
    if user.partner_id is not None and case.merged_into_id is not None:
        return Access.NONE
    return case_access(
        user,
        case_id=case.pk,
        desk_id=case.desk_id,
        referred_by_partner_id=case.referred_by_id,
        shared_with_partner_ids=shared_partner_ids(case) if user.partner_id else (),
        assignee_id=case.assignee_id,
        frozen=case.is_frozen,
        interpreter_ids=interpreter_ids,
    )


def require_working(user: User, case: Case, perm: Perm = Perm.CASES_WORK) -> Access:
    """Raise unless ``user`` works this case (desk or assignee) and holds ``perm``."""
    access = access_to(user, case)
    if not access:
        raise CaseNotFound(_("No such case."))
    if access not in WORKING:
        raise NotAllowed(_("You can read this case but not change it."))
    if not user.may(perm):
        raise NotAllowed(_("Your role does not allow this."))
    if case.merged_into_id is not None:
        # A tombstone: its key is shredded, so nothing can be written to it any more.
        raise NotAllowed(_("This case was merged into another one; work on that case instead."))
    return access


def require_seeing(user: User, case: Case) -> Access:
    access = access_to(user, case)
    if not access:
        raise CaseNotFound(_("No such case."))
    return access


def visible_cases(user: User) -> QuerySet[Case]:
    """Every case ``user`` may see, as ``case_access`` would answer for each (one query).

    Never the cases someone interprets: an interpreter sees those through the interpreting app's
    own pages only (``passage.interpreting.queries``), never in lists or search."""
    if (
        not isinstance(user, User)
        or not user.is_active
        or user.suspended_at is not None
        or not user.may(Perm.CONSOLE)
    ):
        return Case.objects.none()
    if user.partner_id is not None:
        if not user.may(Perm.PARTNER_PORTAL):
            return Case.objects.none()
        shared = CaseShare.objects.filter(
            partner_id=user.partner_id, revoked_at__isnull=True
        ).values("case_id")
        # A merged tombstone leads partners nowhere: its referral lives on in the survivor.
        return Case.objects.filter(
            Q(referred_by_id=user.partner_id) | Q(pk__in=shared),
            frozen_at__isnull=True,
            merged_into__isnull=True,
        )
    condition = Q(assignee=user)
    if user.may(Perm.CASES_VIEW_DESK):
        condition |= Q(desk_id__in=user.memberships.values("desk_id"))
    if user.may(Perm.CASES_BREAK_GLASS):
        grants = active_grants(user, now=timezone.now()).values("object_id")
        condition |= Q(pk__in=grants, frozen_at__isnull=True)
    return Case.objects.filter(condition)


def worked_cases(user: User) -> QuerySet[Case]:
    """Cases ``user`` works: on their desks (with the desk permission) or assigned to them."""
    if not isinstance(user, User) or user.partner_id is not None or not user.may(Perm.CONSOLE):
        return Case.objects.none()
    condition = Q(assignee=user)
    if user.may(Perm.CASES_VIEW_DESK):
        condition |= Q(desk_id__in=user.memberships.values("desk_id"))
    return Case.objects.filter(condition)
