"""Reads of imports: the jobs and saved mappings of the desks a user leads (with
``cases.import``). Nothing here decrypts."""

from __future__ import annotations

from django.db.models import QuerySet

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.cases.queries import uuid_or_none
from passage.imports.models import ImportJob, ImportMapping


def desks_led(user: User) -> QuerySet[Desk]:
    if not user.may(Perm.CASES_IMPORT):
        return Desk.objects.none()
    return Desk.objects.filter(
        memberships__user=user, memberships__is_lead=True, is_active=True
    ).order_by("name")


def jobs_of(user: User, *, limit: int = 50) -> list[ImportJob]:
    return list(
        ImportJob.objects.filter(desk__in=desks_led(user))
        .select_related("desk", "created_by")
        .order_by("-created_at")[:limit]
    )


def job_for(user: User, job_id: object) -> ImportJob | None:
    pk = uuid_or_none(job_id)
    if pk is None:
        return None
    return (
        ImportJob.objects.filter(pk=pk, desk__in=desks_led(user))
        .select_related("desk", "created_by")
        .first()
    )


def mappings_for(user: User) -> QuerySet[ImportMapping]:
    return ImportMapping.objects.filter(desk__in=desks_led(user)).select_related("desk")


def mapping_for(user: User, mapping_id: object, desk: Desk) -> ImportMapping | None:
    pk = uuid_or_none(mapping_id)
    return mappings_for(user).filter(pk=pk, desk=desk).first() if pk else None
