"""Encrypted backups of whole installations, restored into fresh ones (real ``passage``
commands in subprocesses, on SQLite or PostgreSQL as DATABASE_URL says, real crypto).

- backup then restore into a new data directory and database: the same cases, notes and files
  (byte for byte after decryption), the same ids, and the audit chain verifies;
- a backup taken before a shred, restored after it, does not bring the shredded record back
  (with the ledger file beside the database, or ``--ledger`` naming a newer backup);
- the archive holds no plaintext marker; a wrong key, a damaged archive and a non-empty
  target are refused.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from passage.crypto.archive import create_backup_key_pair
from tests.conftest import ScratchInstall

MARKER = "BACKUP-MARKER-51c9"
# Seconds a command may take: whole installations, on a machine that may be busy.
SLOW = 900
FILE_BYTES = b"%PDF-1.4 " + MARKER.encode() + bytes(range(256))

SEED = textwrap.dedent(
    f"""
    from passage.accounts.models import Desk, Membership, RoleGrant, User
    from passage.accounts.roles import Role
    from passage.audit import services as audit
    from passage.cases.services import opening
    from passage.cases.services.people import PersonDetails
    from passage.casework.services.notes import note_add
    from passage.crypto.fields import PlainFile
    from tests.testapp.models import Dossier, Note
    desk = Desk.objects.create(name="North")
    user = User(username="cw")
    user.set_unusable_password()
    user.save()
    RoleGrant.objects.create(user=user, role=Role.CASEWORKER)
    Membership.objects.create(user=user, desk=desk)
    for n in range(2):
        case = opening.case_open(
            desk=desk, actor=user, person=PersonDetails(chosen_name="{MARKER} person %d" % n),
            narrative="{MARKER} narrative %d" % n,
        )
        note_add(case=case, actor=user, body="{MARKER} note %d" % n)
    with audit.atomic():
        dossier = Dossier.objects.create(
            region="caucasus", name="{MARKER} name", phone="+79281234567",
            story="{MARKER} story", scan=PlainFile("scan.pdf", {FILE_BYTES!r}),
        )
        Note.objects.create(dossier=dossier, body="{MARKER} dossier note", handle="@marker")
        audit.record(actor="cli", action="test.seeded", object_type="dossier",
                     object_id=str(dossier.pk))
    """
)

# Everything readable, decrypted, as JSON: what must come back the same.
READ = textwrap.dedent(
    """
    import hashlib, json
    from passage.cases.models import Case
    from passage.casework.models import Note as CaseNote
    from passage.crypto.exceptions import RecordShredded
    from tests.testapp.models import Dossier
    out = {"cases": [], "notes": [], "dossiers": []}
    for c in Case.objects.order_by("reference"):
        people = [p.chosen_name for p in c.people.order_by("pk")]
        out["cases"].append([str(c.pk), c.reference, c.stage, c.narrative, people])
    for n in CaseNote.objects.order_by("pk"):
        out["notes"].append([str(n.pk), str(n.case_id), n.body])
    for d in Dossier.objects.order_by("pk"):
        try:
            scan = d.scan.read().hex() if d.scan else None
        except RecordShredded:
            scan = "shredded"
        out["dossiers"].append([str(d.pk), d.region, d.name, d.story, scan,
                                [x.body for x in d.notes.order_by("pk")]])
    print(json.dumps(out, sort_keys=True))
    """
)

# Every row of every table (as the database returns it): a digest per table, and the audit
# entries in order. The chain head moves with each new entry, sessions are not backed up, and
# the migrations table is the new installation's own (restore checks it names the same ones).
ROWS = textwrap.dedent(
    """
    import hashlib, json
    from django.db import connection
    from passage.core.backup import _tables_of
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(_tables_of(connection)):
            if table in {"django_session", "audit_audithead", "django_migrations"}:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = [
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            ]
            if table == "audit_auditentry":
                cursor.execute('SELECT "sequence", "action" FROM "audit_auditentry" '
                               'ORDER BY "sequence"')
                out[table] = [list(r) for r in cursor.fetchall()]
                out["audit_rows"] = sorted(rows)
            else:
                out[table] = hashlib.sha256("\\n".join(sorted(rows)).encode()).hexdigest()
    print(json.dumps(out, sort_keys=True))
    """
)


def _rows(install: ScratchInstall) -> dict[str, object]:
    out = install.python(ROWS, timeout=SLOW).stdout.strip().splitlines()[-1]
    data: dict[str, object] = json.loads(out)
    return data


SHRED_FIRST_CASE = textwrap.dedent(
    """
    from passage.audit import services as audit
    from passage.cases.models import Case
    from passage.crypto import shred
    from tests.testapp.models import Dossier
    with audit.atomic():
        shred.shred(Case.objects.order_by("reference").first())
        shred.shred(Dossier.objects.get())
        audit.record(actor="cli", action="test.shredded", object_type="case", object_id="x")
    """
)


def _read(install: ScratchInstall) -> dict[str, list[list[object]]]:
    out = install.python(READ, timeout=SLOW).stdout.strip().splitlines()[-1]
    data: dict[str, list[list[object]]] = json.loads(out)
    return data


@pytest.fixture
def fresh(scratch_install: ScratchInstall, tmp_path: Path) -> Iterator[ScratchInstall]:
    """A second, empty installation with the first one's keys (the offline key backup)."""
    from tests.conftest import _postgres_server_url, _psql_admin

    data_dir = tmp_path / "restored"
    data_dir.mkdir()
    shutil.copytree(scratch_install.data_dir / "keys", data_dir / "keys")
    (data_dir / "keys" / "backup.public").unlink(missing_ok=True)
    env = dict(scratch_install.env)
    env["PASSAGE_DATA_DIR"] = str(data_dir)
    server = _postgres_server_url()
    name = None
    if server:
        from urllib.parse import urlsplit, urlunsplit

        name = urlsplit(scratch_install.database_url).path.strip("/") + "_r"
        _psql_admin(server, f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
        env["DATABASE_URL"] = url
    else:
        url = f"sqlite:///{data_dir / 'passage.sqlite3'}"
    # Not migrated: ``passage restore`` migrates a database that has no tables yet.
    install = ScratchInstall(data_dir=data_dir, database_url=url, env=env)
    try:
        yield install
    finally:
        if server and name:
            _psql_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def seeded(scratch_install: ScratchInstall, tmp_path: Path) -> tuple[ScratchInstall, Path]:
    key = tmp_path / "offline" / "backup.key"
    scratch_install.run("backup-key", "create", "--private-out", str(key), timeout=SLOW)
    scratch_install.python(SEED, timeout=SLOW)
    return scratch_install, key


def test_backup_then_restore_gives_the_same_installation(
    seeded: tuple[ScratchInstall, Path], fresh: ScratchInstall, tmp_path: Path
) -> None:
    source, key = seeded
    archive = tmp_path / "one.pbk"
    out = source.run("backup", str(archive), "--progress", timeout=SLOW)
    assert "backup " in out.stdout
    raw = archive.read_bytes()
    assert MARKER.encode() not in raw
    assert b"+79281234567" not in raw and b"@marker" not in raw
    assert not (source.data_dir / "keys" / "backup.key").exists()

    before = _read(source)
    assert len(before["cases"]) == 2 and before["dossiers"][0][4] == FILE_BYTES.hex()

    # Refused, clearly, and leaving the target empty: a wrong key, a damaged archive.
    other = tmp_path / "other.key"
    create_backup_key_pair(public_path=tmp_path / "other.public", private_path=other)
    wrong = fresh.run("restore", str(archive), "--key", str(other), check=False, timeout=SLOW)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert "sealed to another backup key" in wrong.stderr
    damaged = tmp_path / "damaged.pbk"
    data = bytearray(raw)
    data[-40] ^= 1
    damaged.write_bytes(bytes(data))
    bad = fresh.run("restore", str(damaged), "--key", str(key), check=False, timeout=SLOW)
    assert bad.returncode != 0 and "damaged" in bad.stderr and "Traceback" not in bad.stderr
    again = source.run("backup", str(archive), check=False, timeout=SLOW)
    assert again.returncode != 0 and "exists already" in again.stderr

    restored = fresh.run("restore", str(archive), "--key", str(key), timeout=SLOW)
    assert "restored backup" in restored.stdout
    assert _read(fresh) == before
    # Every record of every table is back as it was; the audit log has the entries of the
    # backup (the source's last one, "backup.written", came after the dump) and one more.
    source_rows, fresh_rows = _rows(source), _rows(fresh)
    source_audit = source_rows.pop("audit_auditentry")
    fresh_audit = fresh_rows.pop("audit_auditentry")
    assert isinstance(source_audit, list) and isinstance(fresh_audit, list)
    assert source_audit[-1][1] == "backup.written" and fresh_audit[-1][1] == "backup.restored"
    assert fresh_audit[:-1] == source_audit[:-1]
    source_entries, fresh_entries = source_rows.pop("audit_rows"), fresh_rows.pop("audit_rows")
    assert isinstance(source_entries, list) and isinstance(fresh_entries, list)
    assert len(set(source_entries) & set(fresh_entries)) == len(source_entries) - 1
    assert fresh_rows == source_rows
    assert "intact" in fresh.run("audit", "verify", timeout=SLOW).stdout
    into_restored = fresh.run("restore", str(archive), "--key", str(key), check=False, timeout=SLOW)
    assert into_restored.returncode != 0 and "not empty" in into_restored.stderr
    # A restored installation works on: a new note, still verifying.
    fresh.python(
        "from passage.accounts.models import User\n"
        "from passage.cases.models import Case\n"
        "from passage.casework.services.notes import note_add\n"
        "note_add(case=Case.objects.order_by('reference').last(), "
        "actor=User.objects.get(username='cw'), body='after restore')\n",
        timeout=SLOW,
    )
    assert "intact" in fresh.run("audit", "verify", timeout=SLOW).stdout


def test_restoring_an_older_backup_keeps_what_was_shredded_since(
    seeded: tuple[ScratchInstall, Path], fresh: ScratchInstall, tmp_path: Path
) -> None:
    source, key = seeded
    older = tmp_path / "older.pbk"
    source.run("backup", str(older), timeout=SLOW)
    source.python(SHRED_FIRST_CASE, timeout=SLOW)
    newer = tmp_path / "newer.pbk"
    source.run("backup", str(newer), timeout=SLOW)
    after_shred = _read(source)

    fresh.run("restore", str(older), "--key", str(key), "--ledger", str(newer), timeout=SLOW)
    got = _read(fresh)
    assert got == after_shred
    assert got["cases"][0][3] is None and got["cases"][0][4] == [None]
    assert got["dossiers"][0][2:5] == [None, None, None]
    assert MARKER + " narrative 1" in json.dumps(got)  # the other case is intact
    assert "intact" in fresh.run("audit", "verify", timeout=SLOW).stdout


def test_the_ledger_file_beside_the_database_is_replayed_too(
    seeded: tuple[ScratchInstall, Path], fresh: ScratchInstall, tmp_path: Path
) -> None:
    source, key = seeded
    older = tmp_path / "older.pbk"
    source.run("backup", str(older), timeout=SLOW)
    source.python(SHRED_FIRST_CASE, timeout=SLOW)
    # The database is lost; the data directory's ledger file survives with the keys.
    shutil.copy(source.data_dir / "shred-ledger.jsonl", fresh.data_dir / "shred-ledger.jsonl")
    fresh.run("restore", str(older), "--key", str(key), timeout=SLOW)
    assert _read(fresh) == _read(source)
