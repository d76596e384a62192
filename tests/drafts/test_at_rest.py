"""A draft is encrypted at rest: a marker typed into a form and autosaved is in neither the
database file (WAL included) nor a dump; the form key beside it is (a positive control proving
the search would have found the marker). Discarding leaves nothing that opens it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ScratchInstall
from tests.crypto.test_at_rest import _forms

MARKER = "Draft-Marker-Interview-Ruslan-5823"
CONTROL = "/staff/cases/control-9942/story/edit/"

WRITE = f"""
from passage.accounts.models import User
from passage.drafts import services
u = User(username="typist")
u.set_password("irrelevant passphrase 1")
u.save()
key = {CONTROL + "#narrative"!r}
services.draft_save(actor=u, form_key=key, values={{"narrative": [{MARKER!r}]}})
assert services.draft_restore(actor=u, form_key=key) == {{"narrative": [{MARKER!r}]}}
print("written")
"""


def _database_bytes(install: ScratchInstall) -> bytes:
    if install.is_postgres:
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for this test (postgresql-client)")
        return subprocess.run(
            ["pg_dump", "--no-owner", install.database_url], capture_output=True, check=True
        ).stdout
    files = [p for p in install.data_dir.glob("passage.sqlite3*") if p.is_file()]
    assert files, "no SQLite files found"
    return b"".join(p.read_bytes() for p in files)


def test_a_draft_is_not_in_the_database_or_its_dump(scratch_install: ScratchInstall) -> None:
    assert "written" in scratch_install.python(WRITE).stdout
    blob = _database_bytes(scratch_install)
    for form in _forms(MARKER):
        assert form not in blob, "plaintext marker found in the database"
    assert CONTROL.encode() in blob or CONTROL.encode().hex().encode() in blob
