"""Reading helpers: history of an object, of an actor, of an action; the chain head."""

from __future__ import annotations

import uuid

import pytest

from passage.audit import chain, queries
from passage.audit import services as audit
from tests.audit.helpers import record

pytestmark = pytest.mark.django_db

ALICE = f"user:{uuid.UUID(int=1)}"
BOB = f"user:{uuid.UUID(int=2)}"


@pytest.fixture
def log() -> tuple[str, str]:
    case_a, case_b = str(uuid.uuid4()), str(uuid.uuid4())
    with audit.atomic():
        record(case_a, action="case.open", actor=ALICE)
        record(case_b, action="case.open", actor=BOB)
        record(case_a, action="case.assign", actor=BOB)
        record(case_a, action="request.screen", actor=ALICE, object_type="request")
    return case_a, case_b


def test_entries_for_object_newest_first(log: tuple[str, str]) -> None:
    case_a, case_b = log
    history = queries.entries_for_object("case", case_a)
    assert [(e.sequence, e.action) for e in history] == [(3, "case.assign"), (1, "case.open")]
    assert [e.sequence for e in queries.entries_for_object("case", case_b)] == [2]
    assert not queries.entries_for_object("case", str(uuid.uuid4())).exists()


def test_entries_by_actor_and_action(log: tuple[str, str]) -> None:
    assert [e.sequence for e in queries.entries_by_actor(ALICE)] == [4, 1]
    assert [e.sequence for e in queries.entries_with_action("case.open")] == [2, 1]
    assert [e.sequence for e in queries.entries_with_action("case.")] == [3, 2, 1]
    assert [e.sequence for e in queries.entries_by_actor(BOB).filter(action="case.assign")] == [3]
    assert [e.sequence for e in queries.entries()] == [4, 3, 2, 1]


def test_chain_head(log: tuple[str, str]) -> None:
    head = queries.chain_head()
    assert head.sequence == 4
    assert head.entry_hash == queries.entries().first().entry_hash  # type: ignore[union-attr]


def test_chain_head_of_an_empty_log_is_genesis() -> None:
    assert queries.chain_head() == chain.Anchor(0, chain.GENESIS_HASH)
