"""Invariant 1: a value written through an encrypted field is in neither the database file
(WAL included) nor a dump; the plaintext operational column beside it is (a positive control
proving the search would have found the marker)."""

import base64
import shutil
import subprocess

import pytest

from tests.conftest import ScratchInstall

MARKER = "Marker-Plaintext-Zelimkhan-4711"
CONTROL = "control-region-9942"

WRITE = f"""
from passage.crypto.fields import PlainFile
from tests.testapp.models import Dossier, Note
m = {MARKER!r}
d = Dossier.objects.create(region={CONTROL!r}, name=m, phone="+79281234567", story=m,
    details={{"m": m}}, scan=PlainFile(m + ".txt", m.encode()))
Note.objects.create(dossier=d, body={MARKER!r}, handle="@" + {MARKER!r})
assert Dossier.objects.get(pk=d.pk).story == {MARKER!r}
print("written")
"""


def _forms(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.lower(), raw.hex().encode(), base64.b64encode(raw), text.encode("utf-16-le")]


def _assert_absent(blob: bytes, where: str) -> None:
    for form in _forms(MARKER):
        assert form not in blob, f"plaintext marker found in {where}"
    assert CONTROL.encode() in blob or CONTROL.encode().hex().encode() in blob, (
        f"control missing from {where}"
    )


def stored_bytes(install: ScratchInstall) -> tuple[bytes, str]:
    """Everything the installation's database holds, as bytes, and where they came from: a
    ``pg_dump`` on PostgreSQL, the SQLite file and its WAL otherwise."""
    if install.is_postgres:
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for this test (postgresql-client)")
        dump = subprocess.run(
            ["pg_dump", "--no-owner", install.database_url], capture_output=True, check=True
        ).stdout
        return dump, "pg_dump output"
    files = [p for p in install.data_dir.glob("passage.sqlite3*") if p.is_file()]
    assert files, "no SQLite files found"
    return b"".join(p.read_bytes() for p in files), "the SQLite file and its WAL"


def test_encrypted_values_are_not_in_the_database_or_its_dump(
    scratch_install: ScratchInstall,
) -> None:
    assert "written" in scratch_install.python(WRITE).stdout
    _assert_absent(*stored_bytes(scratch_install))
    blobs = [p for p in (scratch_install.data_dir / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    for form in _forms(MARKER):
        assert form not in blobs[0].read_bytes()
