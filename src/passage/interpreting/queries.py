"""Reads of interpreting: an interpreter's cases and what they may read of each, the case's
interpreters, and the translations beside the originals.

An interpreter reads only the narrative, the mailbox messages and the logged contacts of a case
they are actively assigned to (``interpreting.access``); everything else answers None (404).
The originals are read through their own apps (``intake.queries.mailbox_messages``,
``casework.queries.logged_contacts``), never copied; callers record the read
(``cases.views.common.record_read``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from passage.accounts.models import User
from passage.accounts.roles import ROLE_PERMISSIONS, Perm
from passage.cases.models import Case
from passage.cases.queries import CaseView, uuid_or_none
from passage.casework.models import Contact
from passage.casework.queries import logged_contacts
from passage.crypto import datakeys
from passage.intake.models import RequestItem
from passage.intake.queries import MailboxMessage, mailbox_messages
from passage.interpreting.access import interpreting_access
from passage.interpreting.models import InterpreterAssignment, Translation

# What an interpreter reads on a case: the translation sources (``Translation.Source``).
SECTIONS = ("narrative", "message", "contact")

Translations = dict[tuple[str, uuid.UUID], list[Translation]]


def interpreted_case(viewer: User, case_id: object) -> CaseView | None:
    """The case as its interpreter sees it, or None (unknown, not assigned, ended, frozen)."""
    pk = uuid_or_none(case_id)
    if pk is None:
        return None
    case = Case.objects.select_related("desk").filter(pk=pk).first()
    if case is None:
        return None
    seen = interpreting_access(viewer, case)
    return CaseView(case, seen) if seen else None


def my_assignments(viewer: User) -> QuerySet[InterpreterAssignment]:
    """The viewer's active assignments on cases they may still see (not frozen, not merged)."""
    if not viewer.may(Perm.INTERPRET):
        return InterpreterAssignment.objects.none()
    return (
        InterpreterAssignment.objects.filter(
            interpreter=viewer,
            ended_at__isnull=True,
            case__frozen_at__isnull=True,
            case__merged_into__isnull=True,
        )
        .select_related("case")
        .order_by("case__reference")
    )


def assignments_of(case: Case) -> list[InterpreterAssignment]:
    """The case's interpreters, active ones first, then the ended ones (newest first)."""
    rows = InterpreterAssignment.objects.filter(case=case).select_related(
        "interpreter", "assigned_by", "ended_by"
    )
    return sorted(rows, key=lambda row: (not row.is_active, -row.assigned_at.timestamp()))


def assignment_of(case: Case, assignment_id: object) -> InterpreterAssignment | None:
    pk = uuid_or_none(assignment_id)
    if pk is None:
        return None
    return InterpreterAssignment.objects.filter(case=case, pk=pk).select_related("case").first()


def interpreter_choices(case: Case) -> list[User]:
    """Active staff holding ``Perm.INTERPRET`` who do not interpret the case yet."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.INTERPRET in perms]
    current = InterpreterAssignment.objects.filter(case=case, ended_at__isnull=True).values(
        "interpreter_id"
    )
    users = (
        User.objects.filter(
            role_grants__role__in=roles,
            is_active=True,
            suspended_at__isnull=True,
            partner__isnull=True,
        )
        .exclude(pk__in=current)
        .distinct()
        .order_by("username")
    )
    return [user for user in users if user.may(Perm.INTERPRET)]


def interpreter_by_id(case: Case, user_id: object) -> User | None:
    pk = uuid_or_none(user_id)
    return next((u for u in interpreter_choices(case) if u.pk == pk), None)


# --- The originals ---------------------------------------------------------------------------


def messages_of(case: Case) -> list[MailboxMessage]:
    """The mailbox messages of the case (the person's and staff replies), oldest first; no
    files: an interpreter translates words."""
    return [m for m in mailbox_messages(case) if m.kind != RequestItem.Kind.FILE]


def contacts_of(view: CaseView) -> list[Contact]:
    """The logged contacts of the case (Signal, phone...), newest first. The mailbox's messages
    are on their own page (``messages_of``)."""
    return logged_contacts(view)


def source_exists(case: Case, kind: str, source_id: uuid.UUID) -> bool:
    """Whether ``source_id`` names an original of ``kind`` on ``case``."""
    if kind == Translation.Source.NARRATIVE:
        return source_id == case.pk
    if kind == Translation.Source.MESSAGE:
        return any(m.id == source_id and m.readable for m in messages_of(case))
    if kind == Translation.Source.CONTACT:
        return Contact.objects.filter(case=case, pk=source_id).exists()
    return False


# --- Translations ----------------------------------------------------------------------------


def translations_of(case: Case, kind: str | None = None) -> Translations:
    """The case's translations (of one kind of original), by (kind, original's id), keys
    unwrapped in one query (decrypted on use: the caller records the read)."""
    rows = Translation.objects.filter(case=case).select_related("translated_by")
    if kind is not None:
        rows = rows.filter(source_kind=kind)
    found = list(rows)
    datakeys.preload(found)
    grouped: Translations = defaultdict(list)
    for row in found:
        grouped[(row.source_kind, row.source_id)].append(row)
    return dict(grouped)


def translation_of(case: Case, translation_id: object) -> Translation | None:
    pk = uuid_or_none(translation_id)
    if pk is None:
        return None
    return Translation.objects.filter(case=case, pk=pk).select_related("case").first()


def beside(originals: list[Any], translations: Translations, kind: str) -> list[tuple[Any, Any]]:
    """Each original with its translations (for templates: no look-ups there)."""
    return [(row, translations.get((kind, row.id), [])) for row in originals]
