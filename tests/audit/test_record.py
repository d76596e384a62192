"""record(): what an entry holds, where it may be written, and the chain it forms."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from passage.audit import chain, queries
from passage.audit import services as audit
from passage.audit.context import current_request_id
from passage.audit.exceptions import AppendOnly, InvalidAuditValue, NotInTransaction
from passage.audit.models import AuditEntry
from passage.audit.verify import verify_log
from tests.audit.helpers import record, sequences


def test_record_outside_a_transaction_is_refused() -> None:
    # No database marker: pytest-django would fail any query, so this proves the check comes first.
    assert not connection.in_atomic_block
    with pytest.raises(NotInTransaction, match=r"audit\.atomic\(\)"):
        audit.record(actor="system", action="case.assign", object_type="case", object_id="c1")


@pytest.mark.django_db
def test_a_chain_of_several_entries_verifies() -> None:
    user = uuid.uuid4()
    case = str(uuid.uuid4())
    before = dt.datetime.now(dt.UTC)
    for action in ("case.open", "case.assign", "case.view"):
        with audit.atomic():
            audit.record(
                actor=audit.actor_for("user", user),
                action=action,
                object_type="case",
                object_id=case,
                request_id="0123456789abcdef",
            )
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert [e.action for e in entries] == ["case.open", "case.assign", "case.view"]
    assert {(e.actor, e.object_type, e.object_id, e.request_id) for e in entries} == {
        (f"user:{user}", "case", case, "0123456789abcdef")
    }
    assert entries[0].previous_hash == chain.GENESIS_HASH
    for earlier, later in itertools.pairwise(entries):
        assert later.previous_hash == earlier.entry_hash
        assert later.occurred_at >= earlier.occurred_at
    for entry in entries:
        assert entry.entry_hash == chain.hash_of(entry.as_chain_entry())
        assert entry.occurred_at >= before
    report = verify_log()
    assert report.ok
    assert (report.count, report.sequence, report.entry_hash) == (3, 3, entries[-1].entry_hash)
    assert queries.chain_head().entry_hash == entries[-1].entry_hash


@pytest.mark.django_db
def test_stored_times_hash_the_same_after_the_round_trip() -> None:
    # The hash covers microseconds: the database must give back exactly what was hashed.
    for _ in range(5):
        with audit.atomic():
            record()
    for entry in AuditEntry.objects.all():
        assert entry.occurred_at.tzinfo is not None
        assert chain.hash_of(entry.as_chain_entry()) == entry.entry_hash


@pytest.mark.django_db
def test_record_in_a_plain_transaction_writes_at_once() -> None:
    with transaction.atomic():
        record()
        assert sequences() == [1]
        record()
        assert sequences() == [1, 2]
    assert verify_log().ok


@pytest.mark.django_db
def test_the_request_id_comes_from_the_argument_or_the_context() -> None:
    with audit.atomic():
        record(action="case.one")
        token = current_request_id.set("fromcontext42")
        try:
            record(action="case.two")
            record(action="case.three", request_id="explicit-7")
        finally:
            current_request_id.reset(token)
    assert list(AuditEntry.objects.order_by("sequence").values_list("request_id", flat=True)) == [
        "",
        "fromcontext42",
        "explicit-7",
    ]


def test_request_id_from_reads_what_the_middleware_set() -> None:
    class Request:
        request_id = "9f1e1b1f2d4a8c11"

    assert audit.request_id_from(Request()) == "9f1e1b1f2d4a8c11"
    assert audit.request_id_from(object()) is None


@pytest.mark.django_db
def test_invalid_values_are_refused_before_anything_is_queued() -> None:
    with audit.atomic():
        with pytest.raises(InvalidAuditValue):
            audit.record(actor="user:alice", action="case.view", object_type="case", object_id="c1")
        with pytest.raises(InvalidAuditValue):
            audit.record(
                actor="system", action="case.view", object_type="case", object_id="Ivan Petrov"
            )
    assert sequences() == []


@pytest.mark.django_db
def test_entries_cannot_be_saved_again_or_deleted_through_the_model() -> None:
    with audit.atomic():
        record()
    entry = AuditEntry.objects.get()
    entry.action = "case.close"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    assert AuditEntry.objects.get().action == "case.view"


@pytest.mark.django_db
def test_a_missing_head_is_recreated_only_for_an_empty_log() -> None:
    # A flushed test database (not production) lacks the head row the migration made.
    from passage.audit.models import AuditHead

    AuditHead.objects.all().delete()
    with audit.atomic():
        record()
    assert verify_log().ok
    assert AuditHead.objects.get().sequence == 1


@pytest.mark.django_db
def test_the_verify_command_reports_count_and_head(capsys: pytest.CaptureFixture[str]) -> None:
    with audit.atomic():
        record()
        record()
    call_command("audit", "verify")
    head = queries.chain_head()
    out = capsys.readouterr().out
    assert f"2 entries, head seq=2 hash={head.entry_hash}" in out
    call_command("audit", "anchor")
    assert capsys.readouterr().out.strip() == head.line()


@pytest.mark.django_db
def test_verify_streams_in_chunks() -> None:
    with audit.atomic():
        for _ in range(7):
            record()
    assert verify_log(chunk_size=2).count == 7
    assert verify_log(chunk_size=3, anchor=chain.Anchor(4, sequence_hash(4))).ok


def sequence_hash(sequence: int) -> str:
    return AuditEntry.objects.get(sequence=sequence).entry_hash
