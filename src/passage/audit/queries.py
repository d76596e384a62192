"""Reading the audit log. Newest first.

The log holds no personal data, but who looked at which case is itself sensitive: callers
(views in higher apps) must check that the user is an auditor before showing any of it.
"""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet

from passage.audit import chain
from passage.audit.models import HEAD_ID, AuditEntry, AuditHead


def entries(*, using: str | None = None) -> QuerySet[AuditEntry]:
    """All entries, newest first."""
    return AuditEntry.objects.using(using or DEFAULT_DB_ALIAS).order_by("-sequence")


def entries_for_object(
    object_type: str, object_id: str, *, using: str | None = None
) -> QuerySet[AuditEntry]:
    """The history of one object (e.g. ``("case", str(case.id))``), newest first."""
    return entries(using=using).filter(object_type=object_type, object_id=object_id)


def entries_by_actor(actor: str, *, using: str | None = None) -> QuerySet[AuditEntry]:
    """Everything one actor (e.g. ``user:<uuid>``) did, newest first."""
    return entries(using=using).filter(actor=actor)


def entries_with_action(action: str, *, using: str | None = None) -> QuerySet[AuditEntry]:
    """Entries with this action; a trailing dot (``"case."``) matches every action under it."""
    if action.endswith("."):
        return entries(using=using).filter(action__startswith=action)
    return entries(using=using).filter(action=action)


def chain_head(*, using: str | None = None) -> chain.Anchor:
    """The last sequence number and hash as the head records them (genesis for an empty log)."""
    head = AuditHead.objects.using(using or DEFAULT_DB_ALIAS).filter(pk=HEAD_ID).first()
    if head is None:
        return chain.Anchor(sequence=0, entry_hash=chain.GENESIS_HASH)
    return chain.Anchor(sequence=head.sequence, entry_hash=head.entry_hash)


def entries_filtered(
    *,
    actor: str | None = None,
    object_id: str | None = None,
    action_prefix: str | None = None,
    since: dt.datetime | None = None,
    before: dt.datetime | None = None,
    using: str | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching every filter given, newest first (the auditor's page).

    ``action_prefix`` matches the code itself and every code under it (``case`` matches
    ``case.assign``, not ``cases.x``); ``since`` is inclusive, ``before`` exclusive.
    """
    found = entries(using=using)
    if actor:
        found = found.filter(actor=actor)
    if object_id:
        found = found.filter(object_id=object_id)
    if action_prefix:
        prefix = action_prefix.rstrip(".")
        found = found.filter(Q(action=prefix) | Q(action__startswith=f"{prefix}."))
    if since is not None:
        found = found.filter(occurred_at__gte=since)
    if before is not None:
        found = found.filter(occurred_at__lt=before)
    return found
