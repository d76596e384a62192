"""Helpers for the cases tests: moving cases on through the real services, and raw reads.

Everything here goes through ``passage.cases.services`` (or reads the database directly, to
see what is really stored); nothing replaces our own code.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.models import Approval, Case, VerificationItem
from passage.cases.services import approvals, verification, workflow
from passage.cases.workflow import Stage
from passage.crypto import aead
from passage.crypto.models import DataKey

REASON = "a reason given for the move"


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def move(case: Case, actor: User, *stages: str, reason: str = REASON) -> Case:
    """Move ``case`` through ``stages`` one plain transition at a time."""
    for stage in stages:
        case = workflow.case_transition(case=case, to_stage=stage, actor=actor, reason=reason)
    return case


def interview(case: Case, verifier: User) -> VerificationItem:
    return verification.verification_item_add(
        case=case,
        kind=VerificationItem.Kind.INTERVIEW,
        details={"held_on": timezone.localdate() - dt.timedelta(days=1), "channel": "video"},
        interviewer=verifier,
        actor=verifier,
    )


def verify(case: Case, verifier: User) -> Case:
    """An interview, then the outcome "verified"."""
    interview(case, verifier)
    return verification.verification_outcome_record(
        case=case,
        outcome=Case.Verification.VERIFIED,
        note="interview matched the partner's account",
        actor=verifier,
    )


def to_assessment(case: Case, actor: User, verifier: User, *, verified: bool = True) -> Case:
    case = move(case, actor, Stage.SCREENING, Stage.VERIFICATION)
    if verified:
        verify(case, verifier)
    return move(fresh(case), actor, Stage.ASSESSMENT)


def approve_relocation(case: Case, requester: User, approver: User) -> Approval:
    approval = approvals.relocation_request(
        case=case, comment="verified, pathway found, ready to plan", actor=requester
    )
    return approvals.approval_decide(
        approval=approval, approve=True, comment="checked: all in order", actor=approver
    )


def to_stage(case: Case, actor: User, verifier: User, stage: str) -> Case:
    """Bring a new case to a main-line ``stage`` through the real services."""
    order = [
        Stage.SCREENING,
        Stage.VERIFICATION,
        Stage.ASSESSMENT,
        Stage.APPROVED,
        Stage.PLANNING,
        Stage.IN_TRANSIT,
        Stage.ARRIVED,
        Stage.SETTLEMENT,
    ]
    target = order.index(Stage(stage))
    if target >= order.index(Stage.ASSESSMENT):
        case = to_assessment(case, actor, verifier)
    else:
        return move(case, actor, *order[: target + 1])
    if target >= order.index(Stage.APPROVED):
        approve_relocation(case, actor, verifier)
        case = move(fresh(case), actor, *order[order.index(Stage.PLANNING) : target + 1])
    return fresh(case)


# --- Raw reads --------------------------------------------------------------------------------


def raw_value(table: str, column: str, pk: uuid.UUID) -> Any:
    """The value of one column of one row, straight from the database."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(column)} FROM {qn(table)} WHERE {qn('id')} = %s",  # noqa: S608 -- names from the schema
            [_pk(pk)],
        )
        row = cursor.fetchone()
    assert row is not None, f"no row {pk} in {table}"
    value = row[0]
    return bytes(value) if isinstance(value, memoryview) else value


def _pk(pk: uuid.UUID) -> Any:
    # Django stores UUIDs as 32 hex characters on SQLite and as uuid on PostgreSQL.
    return pk if connection.vendor == "postgresql" else pk.hex


def raw_key_id(table: str, column: str, pk: uuid.UUID) -> uuid.UUID:
    value = raw_value(table, column, pk)
    assert isinstance(value, bytes), f"{table}.{column} holds no ciphertext"
    return aead.key_id_of(value)


def case_key_ids(case: Case | uuid.UUID) -> set[uuid.UUID]:
    owner = case.pk if isinstance(case, Case) else case
    return set(DataKey.objects.filter(owner_id=owner).values_list("id", flat=True))


def all_rows(table: str) -> list[tuple[Any, ...]]:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 -- a name from the schema
        return [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in cursor.fetchall()
        ]


def audit_entries(action: str, object_id: object) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action=action, object_id=str(object_id)).order_by("sequence")
    )


def audit_text() -> str:
    """Every audit entry as one string, to look for personal data in it."""
    return "\n".join(
        "|".join(str(getattr(e, f)) for f in ("actor", "action", "object_type", "object_id"))
        + "|"
        + e.request_id
        for e in AuditEntry.objects.all()
    )
