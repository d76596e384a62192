"""The database itself refuses to change or remove audit entries (inside the test transaction)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from passage.audit import services as audit
from passage.audit.models import AuditEntry, AuditHead
from passage.audit.verify import verify_log
from tests.audit.helpers import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries() -> None:
    with audit.atomic():
        for _ in range(3):
            record()


def test_orm_update_is_refused(entries: None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=2).update(action="case.close")
    assert AuditEntry.objects.get(sequence=2).action == "case.view"


def test_orm_delete_is_refused(entries: None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=3).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 3
    assert verify_log().ok


def test_raw_sql_update_and_delete_are_refused(entries: None) -> None:
    for sql in (
        "UPDATE audit_auditentry SET entry_hash = previous_hash",
        "DELETE FROM audit_auditentry WHERE sequence = 1",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert verify_log().ok


def test_emptying_the_table_at_once_is_refused(entries: None) -> None:
    # PostgreSQL's TRUNCATE skips row triggers, so it has a statement trigger of its own;
    # SQLite has no TRUNCATE, and an unqualified DELETE (its "truncate optimisation") is
    # disabled by the presence of the DELETE trigger.
    sql = (
        "TRUNCATE audit_auditentry"
        if connection.vendor == "postgresql"
        else "DELETE FROM audit_auditentry"
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.count() == 3


def test_the_head_is_updated_normally(entries: None) -> None:
    assert AuditHead.objects.get().sequence == 3
    with audit.atomic():
        record()
    assert AuditHead.objects.get().sequence == 4
