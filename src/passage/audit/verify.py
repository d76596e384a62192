"""Proving the audit log: every entry links to the one before, hashes to what it says, and the
head (and, if given, an anchor kept elsewhere) agrees.

``check_chain`` is the pure algorithm over any iterable of entries; ``verify_log`` streams the
entries out of the database in chunks, so memory stays flat however long the log is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Subquery

from passage.audit import chain
from passage.audit.models import HEAD_ID, AuditEntry, AuditHead


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of a verification.

    ``count`` entries were checked and found linked; ``sequence``/``entry_hash`` is where the
    intact chain ends. When ``ok`` is false, ``bad_sequence`` is the first entry at fault (for a
    missing entry, the number it should have had) and ``problem`` says what is wrong.
    """

    ok: bool
    count: int
    sequence: int
    entry_hash: str
    bad_sequence: int | None = None
    problem: str | None = None

    @property
    def anchor(self) -> chain.Anchor:
        """The anchor for the verified chain end."""
        return chain.Anchor(sequence=self.sequence, entry_hash=self.entry_hash)


def check_chain(
    entries: Iterable[chain.Entry],
    *,
    head: chain.Anchor | None,
    anchor: chain.Anchor | None = None,
) -> Report:
    """Check ``entries`` (in sequence order, from the first) against ``head`` and ``anchor``.

    ``head`` is the chain-head row (``None`` if it is missing). Stops at the first fault.
    """
    expected = 1
    previous = chain.GENESIS_HASH

    def broken(bad: int, problem: str) -> Report:
        return Report(False, expected - 1, expected - 1, previous, bad, problem)

    if anchor is not None and anchor.sequence == 0 and anchor.entry_hash != chain.GENESIS_HASH:
        return broken(0, "the anchor at seq=0 does not carry the genesis hash")
    for entry in entries:
        if entry.sequence > expected:
            return broken(expected, f"entry {expected} is missing (the next is {entry.sequence})")
        if entry.sequence < expected:
            return broken(entry.sequence, f"entry {entry.sequence} is out of order or duplicated")
        if entry.previous_hash != previous:
            return broken(
                expected, f"entry {expected} does not link to entry {expected - 1} (reordered?)"
            )
        digest = chain.hash_of(entry)
        if digest != entry.entry_hash:
            return broken(expected, f"entry {expected} does not match its hash (altered)")
        if anchor is not None and expected == anchor.sequence and digest != anchor.entry_hash:
            return broken(
                expected, f"entry {expected} differs from the anchor (the log was rewritten)"
            )
        previous = digest
        expected += 1
    last = expected - 1
    if head is None:
        if last:
            return broken(last, "the chain head row is missing")
    elif head.sequence > last:
        return broken(
            last + 1, f"entry {last + 1} is missing (the head says the log ends at {head.sequence})"
        )
    elif head.sequence < last:
        return broken(head.sequence + 1, f"entry {head.sequence + 1} lies beyond the chain head")
    elif head.entry_hash != previous:
        return broken(last, f"the chain head disagrees with entry {last}")
    if anchor is not None and anchor.sequence > last:
        return broken(
            last + 1,
            f"the log ends at entry {last}, before the anchor's entry {anchor.sequence} "
            "(entries were removed)",
        )
    return Report(True, last, last, previous)


def verify_log(
    *, using: str | None = None, anchor: chain.Anchor | None = None, chunk_size: int = 2000
) -> Report:
    """Verify the stored log (see ``check_chain``), streaming it in chunks of ``chunk_size``.

    Safe while writers append: the head is read first and only the entries it covers are
    checked (a writer commits its entries and the new head together).
    """
    alias = using or DEFAULT_DB_ALIAS
    head_row = AuditHead.objects.using(alias).filter(pk=HEAD_ID).first()
    head = None if head_row is None else chain.Anchor(head_row.sequence, head_row.entry_hash)
    rows = AuditEntry.objects.using(alias).order_by("sequence")
    if head is not None:
        rows = rows.filter(sequence__lte=head.sequence)
    stream = (
        chain.Entry(*values)
        for values in rows.values_list(*chain.ENTRY_FIELDS).iterator(chunk_size=chunk_size)
    )
    report = check_chain(stream, head=head, anchor=anchor)
    if report.ok and head is not None:
        # One statement, so it sees the head and entries at the same moment: entries that the
        # current head does not cover were not written through the head.
        current_head = AuditHead.objects.using(alias).filter(pk=HEAD_ID).values("sequence")
        beyond = (
            AuditEntry.objects.using(alias)
            .filter(sequence__gt=Subquery(current_head))
            .order_by("sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        if beyond is not None:
            return Report(
                False,
                report.count,
                report.sequence,
                report.entry_hash,
                beyond,
                f"entry {beyond} lies beyond the chain head",
            )
    return report
