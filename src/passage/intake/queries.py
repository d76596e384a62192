"""Reads for the screening inbox and the referral directory, filtered by what the user may see.

Screeners see every request (requests belong to no desk until a case is opened); nobody else
sees any. The inbox lists only plain columns: nothing is decrypted for a list.
"""

from __future__ import annotations

import datetime as dt
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
from passage.crypto.exceptions import CryptoError
from passage.intake import payloads
from passage.intake.models import HelpRequest, ReferralOrganisation, RequestItem, StaffReply

PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxFilters:
    state: str = "open"  # "open", "decided" or one state
    language: str = ""
    urgency: str = ""


# A shredded request keeps its row (a tombstone for statistics) with its sealed box emptied
# (``retention.hooks.empty_sealed``): it is no longer in the inbox, and its page is a 404.
SHREDDED = b""


def inbox(viewer: User, filters: InboxFilters) -> QuerySet[HelpRequest]:
    """Requests by the screener's own level (untriaged after triaged), then oldest first."""
    if not viewer.may(Perm.REQUESTS_SCREEN):
        return HelpRequest.objects.none()
    rows = (
        HelpRequest.objects.exclude(sealed=SHREDDED)
        .annotate(item_count=Count("items"))
        .select_related("case")
    )
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
    rows = HelpRequest.objects.select_related("mailbox", "case").exclude(sealed=SHREDDED)
    return rows.filter(pk=pk).first()


def requests_by_ids(viewer: User, ids: list[str]) -> list[HelpRequest]:
    pks = [pk for pk in (uuid_or_none(i) for i in ids) if pk is not None]
    if not pks or not viewer.may(Perm.REQUESTS_SCREEN):
        return []
    return list(HelpRequest.objects.filter(pk__in=pks).exclude(sealed=SHREDDED))


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
    return (
        HelpRequest.objects.filter(Q(state__in=HelpRequest.OPEN_STATES))
        .exclude(sealed=SHREDDED)
        .count()
    )


# --- The mailbox of a case -------------------------------------------------------------------


@dataclass(frozen=True)
class MailboxMessage:
    """One message of a case's secure mailbox: from the person (incoming) or a staff reply."""

    id: uuid.UUID
    at: dt.datetime  # the person's messages: to the hour only
    incoming: bool
    kind: str  # RequestItem.Kind.MESSAGE or FILE, or "reply"
    text: str  # the message, a file's name, a reply's body; "" when it cannot be opened
    author: User | None  # staff, for replies
    readable: bool = True


def mailbox_messages(case: Case) -> list[MailboxMessage]:
    """What the person sent through the mailboxes of the case's help requests (and of the cases
    merged into it) after their first step (messages, file names; the story is in the case
    already) and the replies staff sent, oldest first, decrypted. The person's messages are
    timed to the hour only, so a reply may sort before a message of the same hour. The caller
    has checked that its viewer may read the case's contacts, and records the read. A message
    sealed to an intake key that is no longer held is listed as unreadable rather than failing
    the page."""
    # A merge leaves a request on the merged case's tombstone: it still belongs to this one.
    requests = list(
        HelpRequest.objects.filter(Q(case=case) | Q(case__merged_into=case)).values_list(
            "pk", flat=True
        )
    )
    if not requests:
        return []
    found = []
    items = RequestItem.objects.filter(
        request_id__in=requests, kind__in=[RequestItem.Kind.MESSAGE, RequestItem.Kind.FILE]
    ).order_by("received_at", "position")
    for item in items:
        try:
            content = payloads.open_document(bytes(item.sealed))
        except CryptoError:
            found.append(
                MailboxMessage(item.pk, item.received_at, True, item.kind, "", None, False)
            )
            continue
        words = content.get("name") if item.kind == RequestItem.Kind.FILE else content.get("text")
        found.append(
            MailboxMessage(item.pk, item.received_at, True, item.kind, str(words or ""), None)
        )
    replies = list(
        StaffReply.objects.filter(request_id__in=requests)
        .select_related("author")
        .order_by("sent_at")
    )
    datakeys.preload(replies)
    for reply in replies:
        found.append(
            MailboxMessage(reply.pk, reply.sent_at, False, "reply", reply.body or "", reply.author)
        )
    return sorted(found, key=lambda message: message.at)
