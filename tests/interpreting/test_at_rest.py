"""Invariant 1: a translation's text is in no column of any interpreting table, nor in the
audit log; the plain operational column beside it is (a positive control)."""

from __future__ import annotations

import base64

import pytest
from django.db import connection

from passage.accounts.models import User
from passage.cases.models import Case
from passage.interpreting import services
from passage.interpreting.models import InterpreterAssignment, Translation

pytestmark = pytest.mark.django_db

MARK = "Qzmarkq-translation Жмаркперевод"


def _forms(text: str) -> list[bytes]:
    raw = text.encode()
    return [
        raw,
        raw.lower(),
        text.encode("utf-16-le"),
        raw.hex().encode(),
        base64.b64encode(raw)[:-4],
    ]


def _rows(table: str) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- our table names
        found = cursor.fetchall()
    return b"\n".join(
        value
        if isinstance(value, bytes)
        else bytes(value)
        if isinstance(value, memoryview)
        else str(value).encode()
        for row in found
        for value in row
        if value is not None
    )


def test_a_translation_is_encrypted_at_rest(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    made = services.translation_add(
        case=north_case,
        source_kind="narrative",
        source_id=north_case.pk,
        language="kbd",
        text=MARK,
        actor=interpreter,
    )
    services.translation_edit(translation=made, text=MARK + " edited", actor=interpreter)
    assert Translation.objects.get(pk=made.pk).text == MARK + " edited"
    tables = [t for t in connection.introspection.table_names() if t.startswith("interpreting_")]
    assert len(tables) == 2
    stored = b"".join(_rows(t) for t in [*tables, "audit_auditentry"])
    for form in _forms(MARK):
        assert form not in stored
    assert b"kbd" in stored  # the plain language column is there to be found
