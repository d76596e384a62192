"""Invariant 1 for evidence: markers in a statement, its court, a redacted phrase, a place's
label, a perpetrator's name, unit and role, an incident's description, a bundle's title and a
custody entry's recipient are in neither the database (file and WAL, or ``pg_dump``) nor any
file of the data directory, after the bundle's PDF was made and stored; a plain column is (a
positive control), and the stored PDF decrypts back to the statement."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest

from tests.conftest import ScratchInstall

MARKER = "MrkTestimonyGrozny7731"
CONTROL = "sexual_violence"

WRITE = """
import datetime as dt
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.evidence.models import Bundle
from passage.evidence.services import bundles, records, testimony
desk = Desk.objects.create(name="North")
worker = User.objects.create(username="worker")
RoleGrant.objects.create(user=worker, role="caseworker")
Membership.objects.create(user=worker, desk=desk)
lead = User.objects.create(username="lead")
RoleGrant.objects.create(user=lead, role="caseworker")
Membership.objects.create(user=lead, desk=desk, is_lead=True)
case = opening.case_open(desk=desk, actor=worker, person=PersonDetails(chosen_name="P"))
m = "{marker}"
t = testimony.testimony_record(case=case, actor=worker, text=f"I was held by {{m}}text there.",
    scopes=["legal"], consent_on=dt.date(2017, 5, 2), legal_body=f"{{m}}court")
testimony.redaction_add(testimony=t, actor=worker, category="name", phrase=f"{{m}}text")
place = records.place_create(actor=worker, kind="detention_site", label=f"{{m}}label")
who = records.perpetrator_create(
    actor=worker, name=f"{{m}}name", unit=f"{{m}}unit", role=f"{{m}}role")
records.incident_record(testimony=t, actor=worker, violation="{control}", place=place,
    date_from=dt.date(2017, 3, 1), description=f"{{m}}incident")
b = bundles.bundle_create(actor=worker, desk=desk, purpose="legal", title=f"{{m}}title")
bundles.bundle_items_set(bundle=b, actor=worker, testimony_ids=[t.pk], file_ids=[])
b = bundles.bundle_approve(bundle=b, actor=lead)
bundles.custody_record(
    bundle=b, actor=worker, recipient=f"{{m}}recipient", given_on=dt.date(2017, 6, 1))
pdf = Bundle.objects.get(pk=b.pk).pdf.read()
assert pdf.startswith(b"%PDF")
print("written")
"""


def _forms(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.lower(), raw.hex().encode(), base64.b64encode(raw), text.encode("utf-16-le")]


def test_evidence_is_encrypted_at_rest(scratch_install: ScratchInstall) -> None:
    result = scratch_install.python(WRITE.format(marker=MARKER, control=CONTROL))
    assert "written" in result.stdout
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
    blobs = [p for p in (scratch_install.data_dir / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1  # the bundle's PDF, encrypted
    everything = [p for p in scratch_install.data_dir.rglob("*") if p.is_file()]
    for form in _forms(MARKER):
        assert form not in database, "marker found in the database"
        for path in everything:
            assert form not in path.read_bytes(), f"marker found in {path.name}"
