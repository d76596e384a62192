"""Concurrent writers serialise on the chain head: the chain never forks and has no gaps."""

from __future__ import annotations

import json

from tests.audit.scratch import assert_intact, verify
from tests.conftest import ScratchInstall

THREADS = 8
TRANSACTIONS = 25

# Half the transactions queue in audit.atomic() (lock at the end), half write at once inside a
# plain transaction.atomic() (lock at record()): both paths race each other.
WRITERS = """
import json, threading
from django.db import connections, transaction
from passage.audit import services as audit
from passage.audit.models import AuditEntry

start = threading.Barrier({threads})
errors = []

def work(n):
    try:
        start.wait()
        for i in range({transactions}):
            block = audit.atomic() if i % 2 == 0 else transaction.atomic()
            with block:
                AuditEntry.objects.exists()  # some work of the transaction's own first
                audit.record(actor="system", action="test.write", object_type="thread",
                             object_id="t%d-%d" % (n, i))
    except Exception as exc:
        errors.append(type(exc).__name__ + ": " + str(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work, args=(n,)) for n in range({threads})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
rows = list(AuditEntry.objects.order_by("sequence").values_list("sequence", "object_id"))
print("RESULT " + json.dumps({{"errors": errors, "rows": rows}}))
"""


def test_threads_do_not_fork_the_chain(scratch_install: ScratchInstall) -> None:
    code = WRITERS.format(threads=THREADS, transactions=TRANSACTIONS)
    output = scratch_install.python(code, timeout=300).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    assert result["errors"] == []
    total = THREADS * TRANSACTIONS
    assert [seq for seq, _ in result["rows"]] == list(range(1, total + 1))
    assert {oid for _, oid in result["rows"]} == {
        f"t{n}-{i}" for n in range(THREADS) for i in range(TRANSACTIONS)
    }
    assert_intact(verify(scratch_install), total)
