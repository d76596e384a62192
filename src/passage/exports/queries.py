"""Reads of exports, filtered by who may see them: one's own, and the full exports waiting on
the desks one works (to approve or refuse). Nothing here decrypts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.cases.queries import uuid_or_none
from passage.exports.models import Export


def visible_exports(user: User) -> QuerySet[Export]:
    if not user.may(Perm.CASES_EXPORT_BULK):
        return Export.objects.none()
    desks = user.memberships.values("desk_id")
    return Export.objects.filter(
        Q(requested_by=user) | Q(kind=Export.Kind.FULL, desk_id__in=desks)
    ).select_related("desk", "partner", "requested_by", "decided_by")


def exports_listed(user: User, *, limit: int = 100) -> list[Export]:
    return list(visible_exports(user).order_by("-requested_at")[:limit])


def waiting_for(user: User) -> list[Export]:
    """Full exports someone else asked for on the user's desks, waiting for a second person."""
    return list(
        visible_exports(user)
        .filter(status=Export.Status.WAITING)
        .exclude(requested_by=user)
        .order_by("requested_at")
    )


def export_for(user: User, export_id: object) -> Export | None:
    pk = uuid_or_none(export_id)
    return visible_exports(user).filter(pk=pk).first() if pk else None


def desks_of(user: User) -> QuerySet[Desk]:
    return Desk.objects.filter(memberships__user=user, is_active=True).order_by("name").distinct()


def recipients_for(desk: Desk | None = None) -> QuerySet[PartnerOrganisation]:
    rows = PartnerOrganisation.objects.filter(is_active=True)
    if desk is not None:
        rows = rows.filter(desks=desk)
    return rows.order_by("code")
