"""Invariant 1 for files: a marker in a file's content (PDF page text that survives the
stripping), in its original name and its description is in neither the database (file and
WAL, or ``pg_dump``) nor any file of the data directory; a plain column beside them is (a
positive control), and the stored file decrypts back to the marker."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest

from tests.casefiles.conftest import pdf_with_author
from tests.conftest import ScratchInstall

MARKER = "MrkFileAtRestShatoi8813"
CONTROL = "ctrlplainkind"

WRITE = """
import base64
import uuid
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.casefiles import services
from passage.casefiles.models import CaseFile
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
desk = Desk.objects.create(name="North")
user = User.objects.create(username="worker")
RoleGrant.objects.create(user=user, role="caseworker")
Membership.objects.create(user=user, desk=desk)
case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name="P"))
row = services.case_file_add(
    case=case, actor=user, description="{marker} description",
    upload=services.Upload(name="{marker}.pdf", data=base64.b64decode("{pdf}")),
    attached_kind="{control}", attached_id=uuid.uuid4(),
)
row = CaseFile.objects.get(pk=row.pk)
assert b"{marker}" in row.content.read()
print("written")
"""


def _forms(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.lower(), raw.hex().encode(), base64.b64encode(raw), text.encode("utf-16-le")]


def test_a_file_is_encrypted_at_rest(scratch_install: ScratchInstall) -> None:
    pdf = pdf_with_author(MARKER, text=MARKER)
    code = WRITE.format(marker=MARKER, control=CONTROL, pdf=base64.b64encode(pdf).decode())
    assert "written" in scratch_install.python(code).stdout
    if scratch_install.is_postgres:
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for this test (postgresql-client)")
        database = subprocess.run(
            ["pg_dump", "--no-owner", scratch_install.database_url],
            capture_output=True,
            check=True,
        ).stdout
    else:
        files = [p for p in scratch_install.data_dir.glob("passage.sqlite3*") if p.is_file()]
        database = b"".join(p.read_bytes() for p in files)
    assert CONTROL.encode() in database  # the control: a plain column is found
    everything = [p for p in scratch_install.data_dir.rglob("*") if p.is_file()]
    blobs = [p for p in (scratch_install.data_dir / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    for form in _forms(MARKER):
        assert form not in database, "marker found in the database"
        for path in everything:
            assert form not in path.read_bytes(), f"marker found in {path.name}"
            assert MARKER not in str(path)
