"""Duplicate detection on blind indexes, and merging or separating flagged cases.

A case's people are compared with every other case by exact blind-index matches: a contact
handle or phone number (``handle``), or a name token (plain or by its transliteration-tolerant
sound skeleton) together with the same birth date on the same person (``name_dob``). A match is
flagged once per pair and shows on both cases. When the other case is on another desk, the
leads of both desks are alerted with their own case's reference only: nobody learns the other
desk's case, yet an entrapment attempt that crosses desks is still caught.

Merging moves the merged case's people, history, checks and files to the surviving case,
re-encrypted under the survivor's data key, then shreds the merged case's key; its row stays
as a tombstone whose reference leads to the survivor.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm, Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.cases import access, rollups
from passage.cases.exceptions import CaseNotFound, MergeRefused, NotAllowed
from passage.cases.models import (
    NAME_SCOPES,
    Approval,
    Case,
    CaseEvent,
    CaseShare,
    ContactChannel,
    DuplicateFlag,
    Person,
)
from passage.cases.services import common
from passage.crypto import blind, rekey, shred
from passage.crypto.fields import delete_blobs

HANDLE = "handle"
NAME_DOB = "name_dob"


@dataclass(frozen=True)
class Identity:
    """What one person is recognised by: names (any spelling) with a birth date."""

    names: tuple[str, ...]
    birth_date: str


def identifiers_of(case: Case) -> tuple[list[str], list[Identity]]:
    """The contact handles and the (names, birth date) of the case's people, decrypted."""
    handles = [c.value for c in ContactChannel.objects.filter(person__case=case) if c.value]
    identities = []
    for person in Person.objects.filter(case=case):
        names = [n for n in [person.chosen_name, person.legal_name, *(person.aliases or [])] if n]
        if person.birth_date and names:
            identities.append(Identity(tuple(names), person.birth_date))
    return handles, identities


def _name_parts(names: tuple[str, ...]) -> list[set[bytes]]:
    """Each name part as the digests it can match by: its spelling and its sound."""
    return [
        {*blind.digests("name", token), *blind.digests("name_sound", token)}
        for token in blind.normalise("name", list(names))
    ]


def matches_by_identifiers(
    case_id: uuid.UUID, handles: list[str], identities: list[Identity]
) -> dict[uuid.UUID, set[str]]:
    """Other cases that share a handle, or a person with the same birth date and enough name
    parts: blind-index look-ups only (one query for the handles, one per person).

    A part matches in any spelling or by its sound and counts once. Two parts must match
    ("Muhammad" alone, of "Muhammad Ali", is a common first name, not a person), unless the
    person is known by a single name.
    """
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    if handles:
        for match in blind.lookup(HANDLE, handles, row_types=["cases.contactchannel"]):
            if match.owner_id != case_id:
                found[match.owner_id].add(HANDLE)
    for identity in identities:
        parts = _name_parts(identity.names)
        needed = min(2, len(parts))
        if not needed:
            continue
        names = list(identity.names)
        near = blind.digests_near(
            "date",
            identity.birth_date,
            dict.fromkeys(NAME_SCOPES, names),
            row_types=["cases.person"],
        )
        for (_row_type, _row_id, owner_id), digests in near.items():
            if owner_id != case_id and sum(1 for p in parts if p & digests) >= needed:
                found[owner_id].add(NAME_DOB)
    return dict(found)


def matches_for(case: Case) -> dict[uuid.UUID, set[str]]:
    """Other cases whose people match this case's people, with what matched."""
    handles, identities = identifiers_of(case)
    return matches_by_identifiers(case.pk, handles, identities)


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if str(a) < str(b) else (b, a)


def duplicates_check(
    *, case: Case, actor: User, request_id: str | None = None
) -> list[DuplicateFlag]:
    """Flag every case that matches ``case``; returns the flags that are new or grew."""
    matches = matches_for(case)
    if not matches:
        return []
    others = {
        c.pk: c
        for c in Case.objects.filter(pk__in=list(matches), merged_into__isnull=True).select_related(
            "desk"
        )
    }
    flagged = []
    with audit.atomic():
        for other_id, basis in sorted(matches.items(), key=lambda item: str(item[0])):
            other = others.get(other_id)
            if other is None:
                continue
            first, second = _pair(case.pk, other.pk)
            flag, created = DuplicateFlag.objects.get_or_create(
                case_a_id=first, case_b_id=second, defaults={"basis": ",".join(sorted(basis))}
            )
            if not created:
                grown = sorted(set(flag.basis_codes) | basis)
                if grown == sorted(flag.basis_codes) or flag.status != DuplicateFlag.Status.OPEN:
                    continue
                flag.basis = ",".join(grown)
                flag.save(update_fields=["basis"])
            flagged.append(flag)
            for side in (case, other):
                common.event(side, CaseEvent.Kind.DUPLICATE, actor=actor, detail=flag.basis[:40])
            audit.record(
                actor=common.actor_of(actor),
                action="case.duplicate_flagged",
                object_type="duplicate",
                object_id=str(flag.pk),
                request_id=request_id,
            )
            if created and other.desk_id != case.desk_id:
                for side in (case, other):
                    alert_raise(
                        code=kinds.DUPLICATE_ACROSS_DESKS,
                        severity=Alert.Severity.WARNING,
                        target_role=Role.DESK_LEAD,
                        target_desk=side.desk,
                        case_reference=side.reference,
                        object_type="case",
                        object_id=str(side.pk),
                        actor=actor,
                        request_id=request_id,
                    )
    return flagged


def flags_of(case: Case) -> list[DuplicateFlag]:
    return list(
        DuplicateFlag.objects.filter(Q(case_a=case) | Q(case_b=case)).order_by("-flagged_at")
    )


def duplicate_mark_distinct(
    *, flag: DuplicateFlag, actor: User, request_id: str | None = None
) -> None:
    """Staff compared both cases: not the same person. The pair is not flagged again."""
    with audit.atomic():
        flag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
        cases = list(Case.objects.filter(pk__in=[flag.case_a_id, flag.case_b_id]))
        for case in cases:
            access.require_working(actor, case, Perm.CASES_WORK)
        if flag.status != DuplicateFlag.Status.OPEN:
            raise MergeRefused(_("This possible duplicate was decided already."))
        flag.status = DuplicateFlag.Status.DISTINCT
        flag.decided_by = actor
        flag.decided_at = timezone.now()
        flag.save(update_fields=["status", "decided_by", "decided_at"])
        for case in cases:
            common.event(case, CaseEvent.Kind.DISTINCT, actor=actor)
        audit.record(
            actor=common.actor_of(actor),
            action="case.duplicate_distinct",
            object_type="duplicate",
            object_id=str(flag.pk),
            request_id=request_id,
        )


def _earliest(first: dt.datetime | None, second: dt.datetime | None) -> dt.datetime | None:
    return min((d for d in (first, second) if d is not None), default=None)


def _combined_text(first: str | None, second: str | None, label: str) -> str | None:
    if not second or second == first:
        return first
    if not first:
        return second
    return f"{first}\n\n--- {label} ---\n{second}"


def cases_merge(
    *, survivor: Case, merged: Case, actor: User, request_id: str | None = None
) -> Case:
    """Merge ``merged`` into ``survivor``: everything moves, re-encrypted; ``merged``'s key is
    shredded and its row becomes a tombstone pointing at ``survivor``.

    The actor must work both cases and may merge (``Perm.CASES_MERGE``); neither may be frozen,
    closed by a merge already, or the same case. Raises ``MergeRefused`` / ``NotAllowed``.
    """
    if survivor.pk == merged.pk:
        raise MergeRefused(_("A case cannot be merged with itself."))
    stale: list[str] = []
    with audit.atomic():
        first, second = sorted([survivor.pk, merged.pk], key=str)
        locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second])}
        if len(locked) != 2:
            raise CaseNotFound(_("No such case."))
        keep, gone = locked[survivor.pk], locked[merged.pk]
        require_merge_allowed(actor, keep, gone)
        counted = rollups.before(keep.pk, gone.pk)
        # The survivor takes over what was told in the merged case itself.
        keep.narrative = _combined_text(keep.narrative, gone.narrative, gone.reference)
        factors = dict(keep.triage_factors or {})
        factors.update({k: True for k, v in (gone.triage_factors or {}).items() if v})
        keep.triage_factors = factors
        keep.opened_at = min(keep.opened_at, gone.opened_at)
        # Deadlines and contact dates of what moved (e.g. an emergency review) stay in force.
        keep.next_deadline = _earliest(keep.next_deadline, gone.next_deadline)
        keep.next_contact_due = _earliest(keep.next_contact_due, gone.next_contact_due)
        keep.last_contact_at = max(
            (d for d in (keep.last_contact_at, gone.last_contact_at) if d is not None),
            default=None,
        )
        # Pending approvals of the merged case end: decisions are taken on the survivor.
        Approval.objects.filter(case=gone, status=Approval.Status.PENDING).update(
            status=Approval.Status.WITHDRAWN, decided_at=timezone.now()
        )
        kept_principal = Person.objects.filter(case=keep, is_principal=True).first()
        gone_principal = Person.objects.filter(case=gone, is_principal=True).first()
        position = Person.objects.filter(case=keep).count()
        moving = [(model, list(rows)) for model, rows in rekey.rows_of_owner("cases.case", gone.pk)]
        for model, rows in moving:
            taken = _survivor_keys(model, keep)
            for row in rows:
                if taken is not None and _merge_key(model, row) in taken:
                    # One row per case for this key (e.g. an admin-defined field): the
                    # survivor's value stays, the merged one is shredded with its case.
                    continue
                stale += rekey.load_plaintext(row)
                if model.key_owner_path == "case":
                    row.case_id = keep.pk  # type: ignore[attr-defined]
                if isinstance(row, Person):
                    row.position = position
                    position += 1
                    if kept_principal is not None:
                        row.is_principal = False
                row.save()
        if kept_principal is not None and gone_principal is not None:
            # The same person asked twice: one principal, with every name and detail of both.
            _fold_person(into=Person.objects.get(pk=kept_principal.pk), gone_id=gone_principal.pk)
        CaseShare.objects.filter(case=gone).update(case=keep)
        Case.objects.filter(merged_into=gone).update(merged_into=keep)
        _move_other_flags(gone, keep)
        pair = _pair(keep.pk, gone.pk)
        DuplicateFlag.objects.filter(case_a_id=pair[0], case_b_id=pair[1]).update(
            status=DuplicateFlag.Status.MERGED, decided_by=actor, decided_at=timezone.now()
        )
        keep.household_size = max(
            keep.household_size, gone.household_size, Person.objects.filter(case=keep).count()
        )
        if keep.referred_by_id is None and gone.referred_by_id is not None:
            # The referring partner keeps following the person's request (status only).
            keep.referred_by_id = gone.referred_by_id
        common.apply_priority(keep)
        keep.save()
        now = timezone.now()
        gone.merged_into = keep
        gone.stage = "closed"
        gone.stage_entered_at = now
        gone.closed_at = now
        gone.outcome = Case.Outcome.MERGED
        gone.assignee = None
        gone.save(
            update_fields=[
                "merged_into",
                "stage",
                "stage_entered_at",
                "closed_at",
                "outcome",
                "assignee",
            ]
        )
        common.event(keep, CaseEvent.Kind.MERGED, actor=actor, detail=gone.reference)
        common.record(actor, "case.merged", keep, request_id=request_id)
        common.record(actor, "case.merged_into", gone, request_id=request_id)
        rollups.after(counted)
        shred.shred(gone)
        transaction.on_commit(lambda: delete_blobs(stale))
    keep.refresh_from_db()
    return keep


def _merge_key(model: type[Model], row: Model) -> tuple[object, ...]:
    return tuple(getattr(row, name) for name in getattr(model, "merge_unique_with", ()))


def _survivor_keys(model: type[Model], keep: Case) -> set[tuple[object, ...]] | None:
    """For a model that allows one row per case and key (``merge_unique_with``, e.g. a value
    per field definition), the keys the survivor has already; None for any other model."""
    names: tuple[str, ...] = getattr(model, "merge_unique_with", ())
    if not names or getattr(model, "key_owner_path", None) != "case":
        return None
    rows = model._default_manager.filter(case_id=keep.pk).values_list(*names)
    return {tuple(row) for row in rows}


_FILLED_FROM_OTHER = (
    "pronouns",
    "legal_name",
    "birth_date",
    "age_years",
    "nationality",
    "gender_identity",
    "sexual_orientation",
    "current_location",
)
_COMBINED = ("health_needs", "protection_needs")


def _fold_person(*, into: Person, gone_id: uuid.UUID) -> None:
    """Fold the merged case's principal (already moved under the survivor's key) into the
    survivor's: its names become other names, empty details are filled, needs combine, its
    contact channels move over (unless the same channel is there), and the row goes."""
    gone = Person.objects.get(pk=gone_id)
    known = {n for n in [into.chosen_name, into.legal_name, *(into.aliases or [])] if n}
    for name in _FILLED_FROM_OTHER:
        if not getattr(into, name) and getattr(gone, name):
            setattr(into, name, getattr(gone, name))
    known |= {n for n in [into.legal_name] if n}
    others = [n for n in [gone.chosen_name, gone.legal_name, *(gone.aliases or [])] if n]
    aliases = list(into.aliases or [])
    aliases += [n for n in dict.fromkeys(others) if n not in known]
    into.aliases = aliases or None
    into.languages = list(dict.fromkeys([*(into.languages or []), *(gone.languages or [])])) or None
    for name in _COMBINED:
        ours, theirs = getattr(into, name), getattr(gone, name)
        setattr(
            into,
            name,
            ours if not theirs or theirs == ours else "\n".join(filter(None, [ours, theirs])),
        )
    into.save()
    present = {
        (c.kind, tuple(blind.normalise("handle", c.value or ""))) for c in into.channels.all()
    }
    for channel in gone.channels.all():
        if (channel.kind, tuple(blind.normalise("handle", channel.value or ""))) in present:
            channel.delete()
            continue
        rekey.load_plaintext(channel)
        channel.person = into
        channel.save()
    gone.delete()
    for position, person in enumerate(Person.objects.filter(case=into.case_id)):
        if person.position != position:
            Person.objects.filter(pk=person.pk).update(position=position)


def _move_other_flags(gone: Case, keep: Case) -> None:
    """Flags between the merged case and third cases now concern the survivor."""
    for flag in DuplicateFlag.objects.filter(Q(case_a=gone) | Q(case_b=gone)):
        other = flag.other(gone.pk)
        if other == keep.pk:
            continue
        first, second = _pair(keep.pk, other)
        if DuplicateFlag.objects.filter(case_a_id=first, case_b_id=second).exists():
            flag.delete()
            continue
        flag.case_a_id, flag.case_b_id = first, second
        flag.save(update_fields=["case_a", "case_b"])


def require_merge_allowed(actor: User, survivor: Case, merged: Case) -> None:
    """The checks ``cases_merge`` runs first, for a confirmation page (raises on refusal)."""
    if survivor.pk == merged.pk:
        raise MergeRefused(_("A case cannot be merged with itself."))
    for case in (survivor, merged):
        access.require_working(actor, case, Perm.CASES_MERGE)
        if case.merged_into_id is not None:
            raise MergeRefused(
                _("%(reference)s was merged already.") % {"reference": case.reference}
            )
        if case.is_frozen:
            raise MergeRefused(
                _("%(reference)s is frozen: it cannot be merged.") % {"reference": case.reference}
            )
    if merged.is_open and not survivor.is_open:
        raise MergeRefused(
            _("Keep the open case (%(reference)s): the other one is closed.")
            % {"reference": merged.reference}
        )


__all__ = [
    "HANDLE",
    "NAME_DOB",
    "NotAllowed",
    "cases_merge",
    "duplicate_mark_distinct",
    "duplicates_check",
    "flags_of",
    "matches_for",
    "require_merge_allowed",
]
