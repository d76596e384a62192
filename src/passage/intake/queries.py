"""Reads for the screening inbox and the referral directory, filtered by what the user may see.

Screeners see every request (requests belong to no desk until a case is opened); nobody else
sees any. The inbox lists only plain columns: nothing is decrypted for a list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.cases.models import Case
from passage.cases.queries import uuid_or_none
from passage.cases.services.duplicates import matches_by_identifiers
from passage.crypto import blind, datakeys
from passage.intake.models import HelpRequest, ReferralOrganisation

PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxFilters:
    state: str = "open"  # "open", "decided" or one state
    language: str = ""
    urgency: str = ""


def inbox(viewer: User, filters: InboxFilters) -> QuerySet[HelpRequest]:
    """Requests by the screener's own level (untriaged after triaged), then oldest first."""
    if not viewer.may(Perm.REQUESTS_SCREEN):
        return HelpRequest.objects.none()
    rows = HelpRequest.objects.annotate(item_count=Count("items")).select_related("case")
    if filters.state == "open":
        rows = rows.filter(state__in=HelpRequest.OPEN_STATES)
    elif filters.state == "decided":
        rows = rows.exclude(state__in=HelpRequest.OPEN_STATES)
    elif filters.state in HelpRequest.State.values:
        rows = rows.filter(state=filters.state)
    if filters.language:
        rows = rows.filter(reply_language=filters.language)
    if filters.urgency:
        rows = rows.filter(urgency=filters.urgency)
    return rows.order_by("level_rank", "received_at", "id")


def request_for(viewer: User, request_id: object) -> HelpRequest | None:
    pk = uuid_or_none(request_id)
    if pk is None or not viewer.may(Perm.REQUESTS_SCREEN):
        return None
    return HelpRequest.objects.select_related("mailbox", "case").filter(pk=pk).first()


def requests_by_ids(viewer: User, ids: list[str]) -> list[HelpRequest]:
    pks = [pk for pk in (uuid_or_none(i) for i in ids) if pk is not None]
    if not pks or not viewer.may(Perm.REQUESTS_SCREEN):
        return []
    return list(HelpRequest.objects.filter(pk__in=pks))


def attach_suggestions(viewer: User, story: dict[str, Any]) -> list[Case]:
    """Cases of the viewer's desks that share the story's handle, or the name it gives
    (blind-index look-ups; two name parts must match unless the name has one)."""
    found: set[uuid.UUID] = set()
    handle = str(story.get("contact_value") or "")
    if handle:
        found |= set(matches_by_identifiers(uuid.uuid4(), [handle], []))
    name = str(story.get("name") or "")
    if name:
        needed = min(2, len(blind.normalise("name", name)))
        for match in blind.lookup("name", name, row_types=["cases.person"]):
            if needed and match.tokens >= needed:
                found.add(match.owner_id)
    if not found:
        return []
    desks = viewer.memberships.values("desk_id")
    return list(Case.objects.filter(pk__in=found, desk_id__in=desks).order_by("reference")[:10])


def referral_directory(
    *, country: str = "", kind: str = "", active_only: bool = True
) -> list[ReferralOrganisation]:
    rows = ReferralOrganisation.objects.all()
    if active_only:
        rows = rows.filter(is_active=True)
    if country:
        rows = rows.filter(country=country.upper())
    found = list(rows)
    if kind:
        found = [row for row in found if kind in (row.kinds or [])]
    datakeys.preload(found)
    return found


def referral_for(organisation_id: object) -> ReferralOrganisation | None:
    pk = uuid_or_none(organisation_id)
    return None if pk is None else ReferralOrganisation.objects.filter(pk=pk).first()


def referrals_by_ids(ids: list[str]) -> list[ReferralOrganisation]:
    pks = [pk for pk in (uuid_or_none(i) for i in ids) if pk is not None]
    found = list(ReferralOrganisation.objects.filter(pk__in=pks, is_active=True))
    datakeys.preload(found)
    return found


def open_count(viewer: User) -> int:
    if not viewer.may(Perm.REQUESTS_SCREEN):
        return 0
    return HelpRequest.objects.filter(Q(state__in=HelpRequest.OPEN_STATES)).count()
