"""audit.atomic(): entries share their transaction's fate, and the head is locked at the end."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from passage.audit import services as audit
from passage.audit.models import AuditEntry, AuditHead
from passage.audit.verify import verify_log
from tests.audit.helpers import record, sequences

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def audit_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "audit_audit" in q["sql"]]


def test_rollback_writes_nothing_and_leaves_nothing_queued() -> None:
    with pytest.raises(Boom), audit.atomic():
        record()
        record()
        raise Boom
    assert sequences() == []
    assert AuditHead.objects.get().sequence == 0
    with audit.atomic():
        record(action="case.after")
    assert list(AuditEntry.objects.values_list("sequence", "action")) == [(1, "case.after")]


def test_nested_blocks_write_once_at_the_outermost_end() -> None:
    with CaptureQueriesContext(connection) as captured:
        with audit.atomic():
            record()
            with audit.atomic():
                record()
                with audit.atomic():
                    record()
                assert audit_queries(captured) == []
            record()
            # Nothing touched the audit tables yet: the head is not locked while work goes on.
            assert audit_queries(captured) == []
            assert sequences() == []
        written = audit_queries(captured)
    assert sequences() == [1, 2, 3, 4]
    inserts = [sql for sql in written if "INSERT INTO" in sql]
    assert len(inserts) == 1  # one bulk insert
    updates = [sql for sql in written if sql.startswith("UPDATE")]
    if connection.vendor == "postgresql":
        # Inserting the entries and moving the head are one statement: one round trip fewer
        # while every other audited write waits for the head's lock.
        assert inserts[0].startswith("WITH") and "UPDATE" in inserts[0]
        assert updates == []
    else:
        assert len(updates) == 1 and "audit_audithead" in updates[0]
    assert sum("audit_audithead" in sql and sql.startswith("SELECT") for sql in written) == 1
    assert verify_log().ok


def test_head_is_locked_for_update_on_postgresql() -> None:
    with CaptureQueriesContext(connection) as captured, audit.atomic():
        record()
        record()
    selects = [q for q in audit_queries(captured) if q.startswith("SELECT") and "audithead" in q]
    if connection.vendor == "postgresql":
        assert selects
        assert all("FOR UPDATE" in sql for sql in selects)


def test_one_entry_is_one_statement_on_postgresql() -> None:
    """One entry (a public help request) is locked, hashed, inserted and moves the head in one
    round trip on PostgreSQL; its hash is the one ``chain`` defines (verify recomputes it)."""
    with CaptureQueriesContext(connection) as captured, audit.atomic():
        record(action="case.one")
    with audit.atomic():
        audit.record(
            actor="public",
            action="request.received",
            object_type="request",
            object_id="ab-12_c.d:e",
            request_id="",
            coarse_time=True,
        )
    written = audit_queries(captured)
    if connection.vendor == "postgresql":
        assert len(written) == 1
        assert written[0].startswith("WITH") and "FOR UPDATE" in written[0]
        assert "INSERT INTO" in written[0] and "UPDATE" in written[0]
    rows = list(AuditEntry.objects.order_by("sequence"))
    assert [row.action for row in rows] == ["case.one", "request.received"]
    assert rows[1].occurred_at.minute == rows[1].occurred_at.second == 0
    assert rows[1].occurred_at.microsecond == 0
    assert rows[0].occurred_at <= rows[1].occurred_at or rows[1].occurred_at.minute == 0
    assert rows[1].previous_hash == rows[0].entry_hash
    assert AuditHead.objects.get().entry_hash == rows[1].entry_hash
    assert verify_log().ok


def test_a_block_without_entries_does_not_touch_the_head() -> None:
    with CaptureQueriesContext(connection) as captured, audit.atomic():
        AuditEntry.objects.count()
    assert [sql for sql in audit_queries(captured) if "audithead" in sql] == []


def test_an_inner_block_that_rolls_back_drops_only_its_entries() -> None:
    with audit.atomic():
        record(action="case.kept")
        with pytest.raises(Boom), audit.atomic():
            record(action="case.dropped")
            raise Boom
        record(action="case.also_kept")
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["case.kept", "case.also_kept"]
    assert verify_log().ok


def test_a_plain_savepoint_that_rolls_back_drops_its_entries() -> None:
    with audit.atomic():
        record(action="case.kept")
        try:
            with transaction.atomic():
                record(action="case.dropped")
                raise Boom
        except Boom:
            pass
        with transaction.atomic():
            record(action="case.nested_kept")
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["case.kept", "case.nested_kept"]


def test_a_transaction_marked_for_rollback_writes_nothing() -> None:
    with audit.atomic():
        record()
        transaction.set_rollback(True)
    assert sequences() == []


def test_usable_as_a_decorator() -> None:
    @audit.atomic()
    def assign() -> None:
        record(action="case.assign")

    assign()
    assign()
    assert sequences() == [1, 2]


def test_queues_belong_to_their_thread() -> None:
    seen: list[int] = []

    def other_thread() -> None:
        # Private state on purpose: a shared queue would leak entries across transactions.
        seen.append(sum(len(q) for q in audit._local.queues.values()))

    with audit.atomic():
        record()
        assert sum(len(q) for q in audit._local.queues.values()) == 1
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen == [0]
    assert audit._local.queues == {}
    assert audit._local.depth == {}


def test_entries_written_later_in_a_plain_transaction_continue_the_chain() -> None:
    with transaction.atomic():
        with audit.atomic():
            record()
            record()
        record()  # outside audit.atomic(): written at once, after the flushed ones
    assert sequences() == [1, 2, 3]
    assert verify_log().ok
