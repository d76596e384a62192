"""Cost of encryption: writing and reading rows through encrypted fields vs. plain columns.

Measured as a ratio within one run (same machine, same database), so results compare across
machines. Run: `.venv/bin/python bench/encrypted_fields.py [N]` (SQLite in a temp dir).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PASSAGE_TEST_DATA_DIR", tempfile.mkdtemp(prefix="passage-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from passage.crypto import datakeys  # noqa: E402


def main(n: int) -> None:
    call_command("migrate", run_syncdb=True, verbosity=0)
    from django.contrib.sessions.models import Session
    from tests.testapp.models import Dossier

    text = "A story of a few hundred characters. " * 10

    started = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            Session.objects.create(
                session_key=f"k{i:030d}", session_data=text, expire_date="2030-01-01T00:00Z"
            )
    plain_write = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        for _ in range(n):
            Dossier.objects.create(story=text)
    encrypted_write = time.perf_counter() - started

    started = time.perf_counter()
    total = sum(len(s.session_data) for s in Session.objects.all())
    plain_read = time.perf_counter() - started

    datakeys.cache.clear()
    started = time.perf_counter()
    total = sum(len(d.story) for d in Dossier.objects.all())
    encrypted_read = time.perf_counter() - started
    assert total == n * len(text)

    # A list page preloads the keys of the rows it shows: one key query instead of one per row.
    datakeys.cache.clear()
    started = time.perf_counter()
    rows = list(Dossier.objects.all())
    datakeys.preload(rows)
    total = sum(len(d.story) for d in rows)
    preloaded_read = time.perf_counter() - started
    assert total == n * len(text)

    print(f"rows: {n}")
    for label, seconds, base in (
        ("write, encrypted vs plain", encrypted_write, plain_write),
        ("read, encrypted vs plain", encrypted_read, plain_read),
        ("read with key preload vs plain", preloaded_read, plain_read),
    ):
        print(f"{label}: {seconds:.3f}s vs {base:.3f}s, ratio {seconds / base:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
