"""Driving a scratch installation's audit log from the outside, as an attacker or an admin would.

Each helper runs Python inside the installation through ``passage shell -c``.
"""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ScratchInstall

WRITE = """
from passage.audit import services as audit
for i in range({count}):
    with audit.atomic():
        audit.record(actor="system", action="case.view", object_type="case",
                     object_id="case-%d" % i)
"""

# What an attacker with database access does first: the append-only triggers are in the way.
DROP_TRIGGERS = """
from django.db import connection
with connection.cursor() as cursor:
    if connection.vendor == "sqlite":
        cursor.execute("DROP TRIGGER audit_auditentry_no_update")
        cursor.execute("DROP TRIGGER audit_auditentry_no_delete")
    else:
        cursor.execute("DROP TRIGGER audit_auditentry_no_update_delete ON audit_auditentry")
        cursor.execute("DROP TRIGGER audit_auditentry_no_truncate ON audit_auditentry")
"""

PRELUDE = """
from passage.audit import chain
from passage.audit.models import AuditEntry, AuditHead
"""


def write_entries(install: ScratchInstall, count: int) -> None:
    install.python(WRITE.format(count=count))


def tamper(install: ScratchInstall, code: str, *, drop_triggers: bool = True) -> None:
    """Run ``code`` (with AuditEntry, AuditHead and chain imported) after dropping the triggers."""
    install.python((DROP_TRIGGERS if drop_triggers else "") + PRELUDE + code)


def verify(install: ScratchInstall, *args: str) -> subprocess.CompletedProcess[str]:
    return install.run("audit", "verify", *args, check=False)


def bad_entry(result: subprocess.CompletedProcess[str]) -> int:
    """The sequence number `passage audit verify` names as the first bad entry."""
    match = re.search(r"BROKEN at entry (\d+):", result.stderr)
    assert match, result.stderr
    return int(match.group(1))


def assert_intact(result: subprocess.CompletedProcess[str], count: int) -> str:
    """Check a passing verify run; return the head hash it printed."""
    assert result.returncode == 0, result.stderr
    match = re.search(
        rf"Audit log intact: {count} entries, head seq={count} hash=([0-9a-f]{{64}})", result.stdout
    )
    assert match, result.stdout
    return match.group(1)
