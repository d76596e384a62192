"""What retention would do now: the plan that both the dry run and the job work from.

A plan names records by id and short reference only, with the policy that makes them due;
never anything about the person. ``passage retention --dry-run`` prints it, ``passage
retention`` and the periodic job carry it out, so the job shreds exactly what the dry run
listed (unless a legal hold or a reopening intervened, which the job re-checks).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from passage.cases.models import Case
from passage.cases.workflow import ENDED
from passage.crypto.keyfiles import intake_key_created_at
from passage.crypto.keyring import keyring
from passage.crypto.models import ShredRecord
from passage.intake.models import HelpRequest, RequestItem
from passage.retention import holds, policies
from passage.retention.models import Outcome

REQUEST_OUTCOMES: dict[str, Outcome] = {
    HelpRequest.State.DECLINED: Outcome.REQUEST_DECLINED,
    HelpRequest.State.SPAM: Outcome.REQUEST_SPAM,
    HelpRequest.State.HOSTILE: Outcome.REQUEST_HOSTILE,
}


@dataclass(frozen=True)
class Due:
    """One record to shred: kind (``request`` or ``case``), id, reference and the policy."""

    kind: str
    object_id: uuid.UUID
    reference: str
    outcome: str

    def line(self) -> str:
        return f"{self.kind} {self.reference} {self.object_id} {self.outcome}"


@dataclass(frozen=True)
class KeyDestruction:
    """An old intake private key to destroy, the unopened requests it takes with it (shredded
    too) and how many still-needed sealed rows move to the newest key first."""

    key_id: str
    unopened: tuple[Due, ...]
    reseal: int


@dataclass
class Plan:
    now: dt.datetime
    rotate_intake_key: bool = False
    records: list[Due] = field(default_factory=list)
    key_destructions: list[KeyDestruction] = field(default_factory=list)

    def all_due(self) -> list[Due]:
        """Every record the plan shreds (records first, then those of destroyed keys)."""
        return self.records + [d for k in self.key_destructions for d in k.unopened]

    def lines(self) -> list[str]:
        out = []
        if self.rotate_intake_key:
            out.append("rotate intake key pair (the newest is older than the rotation period)")
        out.extend(d.line() for d in self.records)
        for k in self.key_destructions:
            out.append(
                f"destroy intake private key {k.key_id} "
                f"({len(k.unopened)} unopened requests, {k.reseal} sealed rows moved first)"
            )
            out.extend(d.line() for d in k.unopened)
        return out


def _shredded(ids: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), 900):
        found |= set(
            ShredRecord.objects.filter(owner_id__in=ids[start : start + 900]).values_list(
                "owner_id", flat=True
            )
        )
    return found


def due_requests(now: dt.datetime) -> list[Due]:
    """Declined, spam and hostile requests decided longer ago than their window."""
    out: list[Due] = []
    for state, outcome in REQUEST_OUTCOMES.items():
        rows = list(
            HelpRequest.objects.annotate(decided=Coalesce("decided_at", "received_at"))
            .filter(state=state, decided__lte=policies.cutoff(outcome, now))
            .order_by("decided", "pk")
            .values_list("pk", flat=True)
        )
        gone = _shredded(rows)
        out += [
            Due("request", pk, "R-" + pk.hex[:8].upper(), outcome.value)
            for pk in rows
            if pk not in gone
        ]
    return out


def due_cases(now: dt.datetime) -> list[Due]:
    """Ended cases closed longer ago than the window, unless under legal hold."""
    rows = list(
        Case.objects.filter(
            stage__in=[s.value for s in ENDED],
            closed_at__lte=policies.cutoff(Outcome.CASE_CLOSED, now),
        )
        .order_by("closed_at", "pk")
        .values_list("pk", "reference")
    )
    gone = _shredded([pk for pk, _ in rows])
    held = holds.held_case_ids()
    return [
        Due("case", pk, ref, Outcome.CASE_CLOSED.value)
        for pk, ref in rows
        if pk not in gone and pk not in held
    ]


def rotation_due(now: dt.datetime) -> bool:
    """Whether the newest intake key pair is older than ``PASSAGE_INTAKE_KEY_DAYS``."""
    pairs = keyring.intake_pairs()
    if not pairs:
        return False
    made = intake_key_created_at(pairs[-1].key_id)
    return made is None or made <= now - dt.timedelta(days=settings.PASSAGE_INTAKE_KEY_DAYS)


def _requests_under(key_id: str) -> set[uuid.UUID]:
    direct = set(HelpRequest.objects.filter(intake_key_id=key_id).values_list("pk", flat=True))
    via_items = set(
        RequestItem.objects.filter(intake_key_id=key_id).values_list("request_id", flat=True)
    )
    return direct | via_items


def sealed_models() -> list[type[models.Model]]:
    """Models that hold boxes sealed to an intake key (columns ``intake_key_id`` and ``sealed``)."""
    from django.apps import apps

    out = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if {"intake_key_id", "sealed"} <= names:
            out.append(model)
    return sorted(out, key=lambda m: m._meta.label_lower)


def _live_sealed_rows(key_id: str, skip_requests: set[uuid.UUID]) -> int:
    """Rows still sealed to ``key_id`` that must stay readable (moved before destruction)."""
    count = 0
    for model in sealed_models():
        rows = model._default_manager.filter(intake_key_id=key_id).exclude(sealed=b"")
        if model is HelpRequest:
            rows = rows.exclude(pk__in=skip_requests)
        elif model is RequestItem:
            rows = rows.exclude(request_id__in=skip_requests)
        count += rows.count()
    return count


def key_destructions(now: dt.datetime) -> list[KeyDestruction]:
    """Old intake private keys with no unopened request under them younger than the window."""
    pairs = keyring.intake_pairs()
    window = policies.cutoff(Outcome.REQUEST_UNOPENED, now)
    out = []
    for pair in pairs[:-1]:  # never the newest: it seals what arrives now
        if pair.private is None:
            continue
        requests = _requests_under(pair.key_id)
        gone = _shredded(sorted(requests))
        live = requests - gone
        unopened = (
            HelpRequest.objects.filter(pk__in=live, state=HelpRequest.State.NEW)
            .annotate(last=Max("items__received_at"))
            .order_by("received_at", "pk")
        )
        young = unopened.filter(Q(received_at__gt=window) | Q(last__gt=window)).exists()
        if young:
            continue
        doomed = tuple(
            Due("request", pk, "R-" + pk.hex[:8].upper(), Outcome.REQUEST_UNOPENED.value)
            for pk in unopened.values_list("pk", flat=True)
        )
        skip = {d.object_id for d in doomed} | gone
        out.append(KeyDestruction(pair.key_id, doomed, _live_sealed_rows(pair.key_id, skip)))
    return out


def plan(now: dt.datetime) -> Plan:
    """What a retention run at ``now`` would do."""
    result = Plan(now=now, rotate_intake_key=rotation_due(now))
    result.records = due_requests(now) + due_cases(now)
    listed = {d.object_id for d in result.records}
    for destruction in key_destructions(now):
        unopened = tuple(d for d in destruction.unopened if d.object_id not in listed)
        result.key_destructions.append(
            KeyDestruction(destruction.key_id, unopened, destruction.reseal)
        )
    return result
