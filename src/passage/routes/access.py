"""Who may see and change routes.

A route belongs to a desk. Logistics (``Perm.LOGISTICS_REVEAL``) on that desk see its legs and
notes and change it; anyone else who sees cases of the desk (caseworkers, desk leads) sees only
its code name and status, e.g. on a case's Travel tab. Everyone else: the route does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.cases.exceptions import CaseNotFound, NotAllowed
from passage.routes.models import Route


def _desk_ids(user: User) -> QuerySet[Any, Any]:
    return user.memberships.values("desk_id")


def _staff(user: object) -> bool:
    return (
        isinstance(user, User)
        and user.is_active
        and user.suspended_at is None
        and user.partner_id is None
        and user.may(Perm.CONSOLE)
    )


def revealed_routes(user: User) -> QuerySet[Route]:
    """Routes whose details ``user`` may see and change (logistics of the route's desk)."""
    if not _staff(user) or not user.may(Perm.LOGISTICS_REVEAL):
        return Route.objects.none()
    return Route.objects.filter(desk_id__in=_desk_ids(user))


def named_routes(user: User) -> QuerySet[Route]:
    """Routes whose code name and status ``user`` may see (desk members who see its cases)."""
    if not _staff(user) or not user.may(Perm.CASES_VIEW_DESK):
        return Route.objects.none()
    return Route.objects.filter(desk_id__in=_desk_ids(user))


def require_logistics(user: User, route: Route) -> None:
    """Raise unless ``user`` may change ``route`` (``CaseNotFound`` when they may not see it)."""
    if not revealed_routes(user).filter(pk=route.pk).exists():
        if named_routes(user).filter(pk=route.pk).exists():
            raise NotAllowed(_("Only logistics of the route's desk may change a route."))
        raise CaseNotFound(_("No such route."))
