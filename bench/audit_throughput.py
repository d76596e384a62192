"""Does the audit chain head serialise writers? Concurrent transactions with and without an
audit entry, measured as a ratio in one run.

Run: `.venv/bin/python bench/audit_throughput.py [THREADS] [TRANSACTIONS_PER_THREAD]`.
Uses PostgreSQL when DATABASE_URL is set (a throwaway database is created and dropped), else
SQLite in a temp dir.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PASSAGE_TEST_DATA_DIR", tempfile.mkdtemp(prefix="passage-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
server = os.environ.get("DATABASE_URL", "")
db_name = None
if server.startswith("postgres"):
    db_name = f"passage_bench_{secrets.token_hex(4)}"
    admin_url = urlunsplit(urlsplit(server)._replace(path="/postgres"))
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{db_name}"'], check=True)
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{db_name}"))

import django  # noqa: E402

django.setup()

from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from passage.audit import services as audit  # noqa: E402
from passage.audit.verify import verify_log  # noqa: E402


def change(prefix: str, i: int) -> None:
    # A little work inside the transaction, as a real service would do before its audit entry.
    Session.objects.create(
        session_key=f"{prefix}{i:020d}", session_data="x" * 200, expire_date=timezone.now()
    )
    Session.objects.filter(session_key=f"{prefix}{i:020d}").update(session_data="y" * 200)


def run(threads: int, per_thread: int, audited: bool) -> float:
    def worker(t: int) -> None:
        prefix = f"{'a' if audited else 'p'}{t:02d}"
        for i in range(per_thread):
            if audited:
                with audit.atomic():
                    change(prefix, i)
                    audit.record(
                        actor="system",
                        action="bench.change",
                        object_type="session",
                        object_id=f"{prefix}{i}",
                    )
            else:
                with transaction.atomic():
                    change(prefix, i)
        connections.close_all()

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    started = time.perf_counter()
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    return time.perf_counter() - started


def main(threads: int, per_thread: int) -> None:
    try:
        call_command("migrate", verbosity=0)
        plain = run(threads, per_thread, audited=False)
        audited = run(threads, per_thread, audited=True)
        result = verify_log()
        assert result.ok and result.count == threads * per_thread, result
        total = threads * per_thread
        print(f"database: {connection.vendor}, {threads} threads x {per_thread} transactions")
        print(f"plain:   {plain:.2f}s ({total / plain:.0f} tx/s)")
        print(f"audited: {audited:.2f}s ({total / audited:.0f} tx/s)")
        print(f"ratio audited/plain: {audited / plain:.2f}")
    finally:
        connections.close_all()
        if db_name:
            subprocess.run(
                ["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'],
                check=True,
            )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 8, int(sys.argv[2]) if len(sys.argv) > 2 else 50
    )
