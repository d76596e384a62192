"""The hash chain itself: encoding, field rules, anchors, and tamper detection as properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passage.audit import chain
from passage.audit.exceptions import InvalidAuditValue, MalformedAnchor
from passage.audit.verify import check_chain

WHEN = dt.datetime(2017, 4, 1, 12, 30, 5, 7, tzinfo=dt.UTC)
FIELDS: dict[str, Any] = {
    "sequence": 1,
    "occurred_at": WHEN,
    "actor": "system",
    "action": "case.assign",
    "object_type": "case",
    "object_id": "3f0c5b5e-8a57-4a43-9f1e-1b1f2d4a8c11",
    "request_id": "",
    "previous_hash": chain.GENESIS_HASH,
}


def test_encoding_is_sorted_compact_json_of_every_field() -> None:
    data = chain.canonical_bytes(**FIELDS)
    assert data == (
        b'{"action":"case.assign","actor":"system",'
        b'"object_id":"3f0c5b5e-8a57-4a43-9f1e-1b1f2d4a8c11","object_type":"case",'
        b'"previous_hash":"' + b"0" * 64 + b'","request_id":"","sequence":1,'
        b'"time":"2017-04-01T12:30:05.000007+00:00","v":1}'
    )
    assert chain.compute_hash(**FIELDS) == hashlib.sha256(data).hexdigest()


def test_time_is_utc_with_microseconds_whatever_the_zone() -> None:
    moscow = WHEN.astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert chain.compute_hash(**{**FIELDS, "occurred_at": moscow}) == chain.compute_hash(**FIELDS)
    with pytest.raises(InvalidAuditValue):
        chain.compute_hash(**{**FIELDS, "occurred_at": WHEN.replace(tzinfo=None)})


@pytest.mark.parametrize(
    "field",
    [
        "sequence",
        "occurred_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "request_id",
        "previous_hash",
    ],
)
def test_every_field_is_covered_by_the_hash(field: str) -> None:
    changed: dict[str, Any] = {
        "sequence": 2,
        "occurred_at": WHEN + dt.timedelta(microseconds=1),
        "actor": "cli",
        "action": "case.close",
        "object_type": "safehouse",
        "object_id": "4f0c5b5e-8a57-4a43-9f1e-1b1f2d4a8c11",
        "request_id": "abc",
        "previous_hash": "1" * 64,
    }
    assert chain.compute_hash(**{**FIELDS, field: changed[field]}) != chain.compute_hash(**FIELDS)


def test_user_actor_is_built_from_a_uuid() -> None:
    ident = uuid.uuid4()
    assert chain.actor_for("user", ident) == f"user:{ident}"
    assert chain.actor_for("user", str(ident).upper()) == f"user:{ident}"
    with pytest.raises(InvalidAuditValue):
        chain.actor_for("user", "alice")


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (chain.check_actor, "user:alice"),
        (chain.check_actor, "Alice Smith"),
        (chain.check_actor, "alice@example.org"),
        (chain.check_actor, "user:3F0C5B5E-8A57-4A43-9F1E-1B1F2D4A8C11"),
        (chain.check_actor, "system\n"),
        (chain.check_actor, None),
        (chain.check_action, "assign"),
        (chain.check_action, "case.assign to Alice"),
        (chain.check_action, "Case.Assign"),
        (chain.check_action, "case." + "x" * 64),
        (chain.check_object_type, "Case"),
        (chain.check_object_type, ""),
        (chain.check_object_id, ""),
        (chain.check_object_id, "Ivan Petrov"),
        (chain.check_object_id, "+7 900 123-45-67"),
        (chain.check_object_id, "ivan@example.org"),
        (chain.check_object_id, "x" * 129),
        (chain.check_request_id, "a b"),
        (chain.check_request_id, "x" * 65),
    ],
)
def test_free_text_is_refused(check: object, value: object) -> None:
    with pytest.raises(InvalidAuditValue):
        check(value)  # type: ignore[operator]


@pytest.mark.parametrize(
    "check",
    [
        chain.check_actor,
        chain.check_action,
        chain.check_object_type,
        chain.check_object_id,
        chain.check_request_id,
    ],
)
def test_a_refused_value_is_not_echoed(check: object) -> None:
    with pytest.raises(InvalidAuditValue) as caught:
        check("Ivan Petrov, +7 900 123-45-67")  # type: ignore[operator]
    assert "Ivan" not in str(caught.value)
    assert "900" not in str(caught.value)


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (chain.check_actor, "system"),
        (chain.check_actor, "cli"),
        (chain.check_actor, "public"),
        (chain.check_actor, "partner:3f0c5b5e-8a57-4a43-9f1e-1b1f2d4a8c11"),
        (chain.check_action, "case.assign"),
        (chain.check_action, "crypto.key_rotation.start"),
        (chain.check_object_type, "accounts.user"),
        (chain.check_object_id, "3f0c5b5e-8a57-4a43-9f1e-1b1f2d4a8c11"),
        (chain.check_object_id, "ma-0123456789abcdef"),
        (chain.check_object_id, "42"),
        (chain.check_request_id, "9f1e1b1f2d4a8c11"),
        (chain.check_request_id, ""),
    ],
)
def test_ids_and_codes_are_accepted(check: object, value: str) -> None:
    assert check(value) == value  # type: ignore[operator]


def test_anchor_line_round_trips() -> None:
    anchor = chain.Anchor(sequence=1234, entry_hash="ab" * 32)
    assert anchor.line() == f"passage-audit-anchor v1 seq=1234 hash={'ab' * 32}"
    assert chain.parse_anchor(f"  {anchor.line()}\n") == anchor
    assert chain.parse_anchor(chain.Anchor(0, chain.GENESIS_HASH).line()).sequence == 0


@pytest.mark.parametrize(
    "line",
    [
        "",
        "hello",
        f"passage-audit-anchor v2 seq=1 hash={'a' * 64}",
        f"passage-audit-anchor v1 seq=-1 hash={'a' * 64}",
        f"passage-audit-anchor v1 seq=01 hash={'a' * 64}",
        f"passage-audit-anchor v1 seq=1 hash={'A' * 64}",
        f"passage-audit-anchor v1 seq=1 hash={'a' * 63}",
        f"passage-audit-anchor v1 seq=1 hash={'a' * 64} extra",
        f"passage-audit-anchor v1 seq=0 hash={'a' * 64}",
    ],
)
def test_malformed_anchor_lines_are_refused(line: str) -> None:
    with pytest.raises(MalformedAnchor):
        chain.parse_anchor(line)


# --- Tamper detection, as properties of check_chain over generated chains -----------------------

ACTIONS = st.sampled_from(["case.assign", "case.view", "request.open", "keys.rotate"])
# Hypothesis wants naive bounds and adds the zone itself.
TIMES = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)


@st.composite
def chains(draw: st.DrawFn, min_size: int = 1) -> list[chain.Entry]:
    size = draw(st.integers(min_value=min_size, max_value=12))
    entries: list[chain.Entry] = []
    previous = chain.GENESIS_HASH
    for sequence in range(1, size + 1):
        fields: dict[str, Any] = {
            "sequence": sequence,
            "occurred_at": draw(TIMES),
            "actor": draw(st.sampled_from(["system", "cli", f"user:{uuid.UUID(int=sequence)}"])),
            "action": draw(ACTIONS),
            "object_type": draw(st.sampled_from(["case", "request"])),
            "object_id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
            "request_id": draw(st.sampled_from(["", "0123456789abcdef"])),
            "previous_hash": previous,
        }
        previous = chain.compute_hash(**fields)
        entries.append(chain.Entry(**fields, entry_hash=previous))
    return entries


def head_of(entries: list[chain.Entry]) -> chain.Anchor:
    if not entries:
        return chain.Anchor(0, chain.GENESIS_HASH)
    return chain.Anchor(entries[-1].sequence, entries[-1].entry_hash)


def rechain(entries: list[chain.Entry]) -> list[chain.Entry]:
    """What a forger with write access does: recompute every hash from genesis."""
    result: list[chain.Entry] = []
    previous = chain.GENESIS_HASH
    for entry in entries:
        entry = dataclasses.replace(entry, previous_hash=previous)
        previous = chain.hash_of(entry)
        result.append(dataclasses.replace(entry, entry_hash=previous))
    return result


@given(entries=chains())
def test_an_untouched_chain_verifies(entries: list[chain.Entry]) -> None:
    report = check_chain(entries, head=head_of(entries))
    assert report.ok
    assert report.count == len(entries)
    assert report.anchor == head_of(entries)
    assert check_chain(entries, head=head_of(entries), anchor=head_of(entries[:1])).ok


def test_an_empty_log_verifies_with_or_without_its_head() -> None:
    assert check_chain([], head=None).ok
    assert check_chain([], head=chain.Anchor(0, chain.GENESIS_HASH)).ok


ALTERABLE = [
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "previous_hash",
    "entry_hash",
]


def _altered(entry: chain.Entry, field: str) -> chain.Entry:
    value = getattr(entry, field)
    if field == "occurred_at":
        return dataclasses.replace(entry, occurred_at=value + dt.timedelta(microseconds=1))
    if field == "actor":
        return dataclasses.replace(entry, actor="cli" if value != "cli" else "system")
    return dataclasses.replace(entry, **{field: value + "0"})


@given(entries=chains(), data=st.data())
def test_an_altered_entry_is_named(entries: list[chain.Entry], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(entries) - 1))
    field = data.draw(st.sampled_from(ALTERABLE))
    tampered = [*entries[:index], _altered(entries[index], field), *entries[index + 1 :]]
    report = check_chain(tampered, head=head_of(entries))
    assert not report.ok
    assert report.bad_sequence == index + 1
    assert report.count == index


@given(entries=chains(), data=st.data())
def test_an_altered_entry_with_its_hash_recomputed_breaks_the_next_link(
    entries: list[chain.Entry], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(entries) - 1))
    forged = _altered(entries[index], "action")
    forged = dataclasses.replace(forged, entry_hash=chain.hash_of(forged))
    tampered = [*entries[:index], forged, *entries[index + 1 :]]
    report = check_chain(tampered, head=head_of(entries))
    assert not report.ok
    # The next entry no longer links; for the last entry, the head no longer agrees.
    assert report.bad_sequence == min(index + 2, len(entries))


@given(entries=chains(), data=st.data())
def test_a_removed_entry_is_named(entries: list[chain.Entry], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(entries) - 1))
    report = check_chain([*entries[:index], *entries[index + 1 :]], head=head_of(entries))
    assert not report.ok
    assert report.bad_sequence == index + 1


@given(entries=chains(min_size=2), data=st.data())
def test_swapped_entries_are_named(entries: list[chain.Entry], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(entries) - 2))
    first, second = entries[index], entries[index + 1]
    # Contents swapped, sequence numbers left in place (what an UPDATE of two rows does).
    swapped = [
        *entries[:index],
        dataclasses.replace(second, sequence=first.sequence),
        dataclasses.replace(first, sequence=second.sequence),
        *entries[index + 2 :],
    ]
    report = check_chain(swapped, head=head_of(entries))
    assert not report.ok
    assert report.bad_sequence == index + 1


@given(entries=chains())
def test_a_head_that_disagrees_is_caught(entries: list[chain.Entry]) -> None:
    head = head_of(entries)
    assert not check_chain(entries, head=chain.Anchor(head.sequence, "f" * 64)).ok
    assert not check_chain(entries, head=chain.Anchor(head.sequence + 1, head.entry_hash)).ok
    assert not check_chain(entries, head=head_of(entries[:-1])).ok
    assert not check_chain(entries, head=None).ok


@given(entries=chains(min_size=2), data=st.data())
def test_a_consistent_rewrite_passes_alone_but_not_against_an_anchor(
    entries: list[chain.Entry], data: st.DataObject
) -> None:
    anchored_at = data.draw(st.integers(1, len(entries)))
    anchor = head_of(entries[:anchored_at])
    index = data.draw(st.integers(0, anchored_at - 1))
    forged = rechain([*entries[:index], _altered(entries[index], "action"), *entries[index + 1 :]])
    assert check_chain(forged, head=head_of(forged)).ok
    report = check_chain(forged, head=head_of(forged), anchor=anchor)
    assert not report.ok
    assert report.bad_sequence == anchored_at


@given(entries=chains(min_size=2), data=st.data())
def test_a_log_cut_short_of_its_anchor_fails(
    entries: list[chain.Entry], data: st.DataObject
) -> None:
    keep = data.draw(st.integers(0, len(entries) - 1))
    shortened = entries[:keep]
    report = check_chain(shortened, head=head_of(shortened), anchor=head_of(entries))
    assert not report.ok
    assert report.bad_sequence == keep + 1


def test_the_canonical_form_parses_as_json() -> None:
    assert json.loads(chain.canonical_bytes(**FIELDS))["time"] == "2017-04-01T12:30:05.000007+00:00"
