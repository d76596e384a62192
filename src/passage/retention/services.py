"""Carrying out retention: shredding due requests and cases, rotating intake key pairs and
destroying old intake private keys. Run by ``passage retention`` and the periodic job.

Each record is shredded in its own ``audit.atomic()`` block with its audit entry
(``retention.request_shredded`` / ``retention.case_shredded``, naming the record by id), after
re-checking, under a row lock, that it is still due (a legal hold set or a case reopened since
the plan was made wins). The run ends with one entry ``retention.run`` whose object id carries
the counts (``requests:N.cases:N.unopened:N.keys_destroyed:N.keys_created:N``) and a
``RetentionRun`` row; then the database is vacuumed (outside any transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from passage.audit import services as audit
from passage.cases.models import Case
from passage.cases.workflow import ENDED
from passage.crypto import sealed, shred, storage
from passage.crypto.keyfiles import create_intake_key_pair, destroy_intake_private_key
from passage.crypto.keyring import keyring
from passage.crypto.models import ShredRecord
from passage.intake.models import HelpRequest, RequestItem
from passage.retention import holds, policies
from passage.retention.models import Outcome, RetentionRun
from passage.retention.plan import REQUEST_OUTCOMES, Due, KeyDestruction, Plan, plan, sealed_models

SYSTEM = "system"


@dataclass(frozen=True)
class RunResult:
    run_id: str
    shredded: tuple[Due, ...]
    skipped: tuple[Due, ...]
    keys_destroyed: tuple[str, ...]
    key_created: str | None
    resealed: int

    @property
    def total(self) -> int:
        return len(self.shredded) + len(self.keys_destroyed) + (1 if self.key_created else 0)


def _still_due(item: Due, now: dt.datetime) -> bool:
    if ShredRecord.objects.filter(owner_id=item.object_id).exists():
        return False
    if item.kind == "case":
        case = Case.objects.select_for_update().filter(pk=item.object_id).first()
        return (
            case is not None
            and case.stage in {s.value for s in ENDED}
            and case.closed_at is not None
            and case.closed_at <= policies.cutoff(Outcome.CASE_CLOSED, now)
            and holds.active_hold(case.pk) is None
        )
    request = HelpRequest.objects.select_for_update().filter(pk=item.object_id).first()
    if request is None:
        return False
    if item.outcome == Outcome.REQUEST_UNOPENED:
        return request.state == HelpRequest.State.NEW
    outcome = REQUEST_OUTCOMES.get(request.state)
    decided = request.decided_at or request.received_at
    return outcome is not None and decided <= policies.cutoff(outcome, now)


def _shred_request(request: HelpRequest) -> None:
    shred.shred(request)  # the shred hook empties its sealed boxes and its mailbox
    audit.record(
        actor=SYSTEM,
        action="retention.request_shredded",
        object_type="request",
        object_id=str(request.pk),
    )


def shred_due(item: Due, *, now: dt.datetime) -> bool:
    """Shred one planned record if it is still due; True when shredded."""
    with audit.atomic():
        if not _still_due(item, now):
            return False
        if item.kind == "case":
            case = Case.objects.get(pk=item.object_id)
            gone = set(
                ShredRecord.objects.values_list("owner_id", flat=True).filter(
                    owner_id__in=list(case.help_requests.values_list("pk", flat=True))
                )
            )
            for request in case.help_requests.exclude(pk__in=gone):
                _shred_request(request)
            shred.shred(case)
            audit.record(
                actor=SYSTEM,
                action="retention.case_shredded",
                object_type="case",
                object_id=str(case.pk),
            )
        else:
            _shred_request(HelpRequest.objects.get(pk=item.object_id))
    return True


def rotate_intake_key(*, now: dt.datetime) -> str:
    """Make a new intake key pair (it seals new requests from now on); audited."""
    with audit.atomic():
        key_id = create_intake_key_pair(settings.PASSAGE_KEYS["intake_dir"], now=now)
        keyring.reload()
        audit.record(
            actor=SYSTEM,
            action="retention.intake_key_created",
            object_type="intake_key",
            object_id=key_id,
        )
    return key_id


def reseal_under(key_id: str, *, skip: set[object]) -> int:
    """Move every still-needed box sealed to ``key_id`` to the newest intake key."""
    moved = 0
    for model in sealed_models():
        rows = model._default_manager.filter(intake_key_id=key_id).exclude(sealed=b"")
        if model is HelpRequest:
            rows = rows.exclude(pk__in=skip)
        elif model is RequestItem:
            rows = rows.exclude(request_id__in=skip)
        for pk in list(rows.values_list("pk", flat=True)):
            with audit.atomic():
                row = (
                    model._default_manager.select_for_update()
                    .filter(pk=pk, intake_key_id=key_id)
                    .values_list("sealed", flat=True)
                    .first()
                )
                if not row:
                    continue
                box = sealed.reseal(bytes(row))
                model._default_manager.filter(pk=pk).update(
                    sealed=box, intake_key_id=sealed.key_id_of(box)
                )
                moved += 1
    return moved


def destroy_intake_key(destruction: KeyDestruction, *, now: dt.datetime) -> tuple[int, bool]:
    """Shred the unopened requests of an old intake key, move what is still needed to the
    newest key, then destroy the private key. Returns (resealed rows, destroyed?)."""
    shredded = {d.object_id for d in destruction.unopened}
    moved = reseal_under(
        destruction.key_id,
        skip=shredded | set(ShredRecord.objects.values_list("owner_id", flat=True)),
    )
    with audit.atomic():
        remaining = [
            m
            for m in sealed_models()
            if m._default_manager.filter(intake_key_id=destruction.key_id)
            .exclude(sealed=b"")
            .exclude(**({"pk__in": shredded} if m is HelpRequest else {}))
            .exclude(**({"request_id__in": shredded} if m is RequestItem else {}))
            .exists()
        ]
        if remaining:  # an unopened request arrived or was planned away: try next time
            return moved, False
        destroyed = destroy_intake_private_key(
            settings.PASSAGE_KEYS["intake_dir"], destruction.key_id
        )
        keyring.reload()
        audit.record(
            actor=SYSTEM,
            action="retention.intake_key_destroyed",
            object_type="intake_key",
            object_id=destruction.key_id,
        )
    return moved, destroyed


def run(
    *, now: dt.datetime | None = None, planned: Plan | None = None, always_record: bool = False
) -> RunResult:
    """Carry out ``planned`` (or the plan for ``now``). Idempotent: a second run at the same
    time finds nothing left. The ``retention.run`` entry is written when anything was done (or
    ``always_record``: the command). Vacuums afterwards when not inside a transaction."""
    now = now or timezone.now()
    todo = planned or plan(now)
    shredded: list[Due] = []
    skipped: list[Due] = []
    created = rotate_intake_key(now=now) if todo.rotate_intake_key else None
    for item in todo.records:
        (shredded if shred_due(item, now=now) else skipped).append(item)
    destroyed: list[str] = []
    resealed = 0
    for destruction in todo.key_destructions:
        done: list[Due] = []
        for item in destruction.unopened:
            (done if shred_due(item, now=now) else skipped).append(item)
        shredded += done
        moved, gone = destroy_intake_key(
            KeyDestruction(destruction.key_id, tuple(done), destruction.reseal), now=now
        )
        resealed += moved
        if gone:
            destroyed.append(destruction.key_id)
    counts = {
        "requests": sum(
            1 for d in shredded if d.kind == "request" and d.outcome != Outcome.REQUEST_UNOPENED
        ),
        "cases": sum(1 for d in shredded if d.kind == "case"),
        "unopened": sum(1 for d in shredded if d.outcome == Outcome.REQUEST_UNOPENED),
        "keys_destroyed": len(destroyed),
        "keys_created": 1 if created else 0,
    }
    run_id = ""
    if always_record or any(counts.values()) or resealed:
        run_id = _record_run(now, counts, resealed)
    if shredded:
        storage.vacuum()
    return RunResult(
        run_id=run_id,
        shredded=tuple(shredded),
        skipped=tuple(skipped),
        keys_destroyed=tuple(destroyed),
        key_created=created,
        resealed=resealed,
    )


def _record_run(now: dt.datetime, counts: dict[str, int], resealed: int) -> str:
    with audit.atomic():
        record = RetentionRun.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            requests_shredded=counts["requests"],
            cases_shredded=counts["cases"],
            unopened_shredded=counts["unopened"],
            intake_keys_destroyed=counts["keys_destroyed"],
            intake_keys_created=counts["keys_created"],
            requests_resealed=resealed,
        )
        audit.record(
            actor=SYSTEM,
            action="retention.run",
            object_type="retention.run",
            object_id=".".join(f"{k}:{v}" for k, v in counts.items()),
        )
    return str(record.pk)
