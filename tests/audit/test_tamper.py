"""The "done when" tests: tampering in a real, committed installation is caught by the command.

Each test uses its own scratch installation (the triggers make committed test data permanent).
"""

from __future__ import annotations

import pytest

from tests.audit.scratch import assert_intact, bad_entry, tamper, verify, write_entries
from tests.conftest import ScratchInstall

SWAP_3_AND_4 = """
columns = [f for f in chain.ENTRY_FIELDS if f != "sequence"]
third = AuditEntry.objects.filter(sequence=3).values(*columns).get()
fourth = AuditEntry.objects.filter(sequence=4).values(*columns).get()
AuditEntry.objects.filter(sequence=3).update(**fourth)
AuditEntry.objects.filter(sequence=4).update(**third)
"""

RECHAIN_ONE = """
entry = AuditEntry.objects.get(sequence=4).as_chain_entry()
import dataclasses
forged = dataclasses.replace(entry, action="case.close")
AuditEntry.objects.filter(sequence=4).update(action="case.close", entry_hash=chain.hash_of(forged))
"""

APPEND_WITHOUT_HEAD = """
from django.utils import timezone
last = AuditEntry.objects.order_by("-sequence").first()
fields = dict(sequence=last.sequence + 1, occurred_at=timezone.now(), actor="system",
              action="case.view", object_type="case", object_id="forged",
              request_id="", previous_hash=last.entry_hash)
AuditEntry.objects.bulk_create([AuditEntry(**fields, entry_hash=chain.compute_hash(**fields))])
"""

TAMPERING = {
    "altered action": ("AuditEntry.objects.filter(sequence=4).update(action='case.close')", 4),
    "altered action, hash recomputed": (RECHAIN_ONE, 5),
    "altered time": (
        "import datetime as dt\n"
        "from django.db.models import F\n"
        "AuditEntry.objects.filter(sequence=2)"
        ".update(occurred_at=F('occurred_at') - dt.timedelta(seconds=1))",
        2,
    ),
    "removed row": ("AuditEntry.objects.filter(sequence=4).delete()", 4),
    "removed last row": ("AuditEntry.objects.filter(sequence=6).delete()", 6),
    "swapped rows": (SWAP_3_AND_4, 3),
    "renumbered to leave a gap": (
        "AuditEntry.objects.filter(sequence=6).update(sequence=9)\n"
        "AuditHead.objects.update(sequence=9)",
        6,
    ),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_is_caught_and_the_first_bad_entry_named(
    scratch_install: ScratchInstall, how: str
) -> None:
    code, first_bad = TAMPERING[how]
    write_entries(scratch_install, 6)
    assert_intact(verify(scratch_install), 6)
    tamper(scratch_install, code)
    result = verify(scratch_install)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert bad_entry(result) == first_bad


def test_head_and_entries_beyond_it_are_checked(scratch_install: ScratchInstall) -> None:
    # Neither needs the trigger dropped: the head is an ordinary table and INSERT is allowed.
    write_entries(scratch_install, 3)
    tamper(scratch_install, APPEND_WITHOUT_HEAD, drop_triggers=False)
    result = verify(scratch_install)
    assert result.returncode == 1
    assert bad_entry(result) == 4
    assert "beyond the chain head" in result.stderr
    tamper(
        scratch_install,
        "AuditHead.objects.update(sequence=4, entry_hash='f' * 64)",
        drop_triggers=False,
    )
    result = verify(scratch_install)
    assert result.returncode == 1
    assert bad_entry(result) == 4
    assert "head disagrees" in result.stderr


REWRITE_FROM_GENESIS = """
import dataclasses
previous = chain.GENESIS_HASH
for entry in AuditEntry.objects.order_by("sequence"):
    item = entry.as_chain_entry()
    if item.sequence == 2:
        item = dataclasses.replace(item, action="case.close")
    item = dataclasses.replace(item, previous_hash=previous)
    previous = chain.hash_of(item)
    AuditEntry.objects.filter(sequence=item.sequence).update(
        action=item.action, previous_hash=item.previous_hash, entry_hash=previous)
AuditHead.objects.update(entry_hash=previous)
"""


def test_an_anchor_catches_a_consistent_rewrite(scratch_install: ScratchInstall) -> None:
    write_entries(scratch_install, 5)
    anchor = scratch_install.run("audit", "anchor").stdout.strip()
    head_hash = assert_intact(verify(scratch_install), 5)
    assert anchor == f"passage-audit-anchor v1 seq=5 hash={head_hash}"
    write_entries(scratch_install, 3)
    extended = verify(scratch_install, "--anchor", anchor)
    assert_intact(extended, 8)
    assert "extends the anchor at seq=5" in extended.stdout

    tamper(scratch_install, REWRITE_FROM_GENESIS)
    assert_intact(verify(scratch_install), 8)  # internally consistent: only the anchor knows
    result = verify(scratch_install, "--anchor", anchor)
    assert result.returncode == 1
    assert bad_entry(result) == 5
    assert "anchor" in result.stderr


def test_an_anchor_beyond_the_log_fails(scratch_install: ScratchInstall) -> None:
    write_entries(scratch_install, 3)
    anchor = scratch_install.run("audit", "anchor").stdout.strip()
    # Remove the newest entry and move the head back, so the rest is consistent.
    tamper(
        scratch_install,
        "AuditEntry.objects.filter(sequence=3).delete()\n"
        "AuditHead.objects.update(sequence=2, "
        "entry_hash=AuditEntry.objects.get(sequence=2).entry_hash)",
    )
    assert_intact(verify(scratch_install), 2)
    result = verify(scratch_install, "--anchor", anchor)
    assert result.returncode == 1
    assert bad_entry(result) == 3


def test_a_malformed_anchor_exits_2_with_a_clear_message(scratch_install: ScratchInstall) -> None:
    for line in ("", "passage-audit-anchor v1 seq=5", "passage-audit-anchor v1 seq=x hash=00"):
        result = verify(scratch_install, "--anchor", line)
        assert result.returncode == 2, line
        assert "Malformed anchor" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_dropped_table_is_reported_as_not_verified(scratch_install: ScratchInstall) -> None:
    write_entries(scratch_install, 2)
    scratch_install.python(
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('DROP TABLE audit_auditentry')\n"
    )
    result = verify(scratch_install)
    assert result.returncode == 1
    assert "NOT verified" in result.stderr
    assert "Traceback" not in result.stderr
