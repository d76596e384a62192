"""The bulk-write path: many new protected rows through ``bulk_create``, their data keys made
in bulk by ``datakeys.bulk_keys`` and their blind-index rows by ``blind.index_bulk_created``.

The values must come out exactly as a normal ``save()`` would leave them: ciphertext under
the owner's own key, bound to the row, found by blind lookups, and no plaintext at rest.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from passage.crypto import aead, blind, bulkinsert, datakeys
from passage.crypto.exceptions import DecryptionFailed, RecordShredded
from passage.crypto.fields import Ciphertext
from passage.crypto.keyfiles import encode_key, write_secret_file
from passage.crypto.keyring import keyring, next_blind_index_path
from passage.crypto.models import BlindIndex, DataKey, ShredRecord
from tests.conftest import ScratchInstall
from tests.testapp.models import Dossier, Note

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str, row_id: uuid.UUID) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608 -- test-owned names
            [row_id.hex if connection.vendor == "sqlite" else row_id],
        )
        (value,) = cursor.fetchone()
    return bytes(value)


def _django_bulk_create(rows: list[Any]) -> None:
    type(rows[0]).objects.bulk_create(rows)


def _copy_create(rows: list[Any]) -> None:
    bulkinsert.create(rows)


WRITERS = pytest.mark.parametrize("write", [_django_bulk_create, _copy_create])


def _bulk_write(
    n: int, write: Callable[[list[Any]], None] = _django_bulk_create
) -> tuple[list[Dossier], list[Note]]:
    dossiers = [
        Dossier(
            region="north",
            name=f"Мурат Исаев{i}",
            phone=f"+7 928 123 {i:04d}",
            story=f"story {i}",
            details={"i": i},
        )
        for i in range(n)
    ]
    notes = [
        Note(dossier=d, body=f"note of {d.pk}", handle=f"@handle_{i}")
        for i, d in enumerate(dossiers)
    ]
    with datakeys.bulk_keys(dossiers) as created:
        assert created == n
        write(dossiers)
        write(notes)
        written = blind.index_bulk_created([*dossiers, *notes])
    # name: two tokens, phone: one, handle: one
    assert written == 4 * n
    return dossiers, notes


@WRITERS
def test_bulk_created_values_decrypt_under_each_owners_own_key(
    write: Callable[[list[Any]], None],
) -> None:
    dossiers, notes = _bulk_write(20, write)
    assert all(not d._state.adding for d in dossiers)
    datakeys.cache.clear()
    assert DataKey.objects.count() == 20
    for i, d in enumerate(dossiers):
        loaded = Dossier.objects.get(pk=d.pk)
        assert (loaded.name, loaded.story, loaded.details) == (
            f"Мурат Исаев{i}",
            f"story {i}",
            {"i": i},
        )
        assert loaded.scan is None
        key = DataKey.objects.get(pk=aead.key_id_of(_raw("testapp_dossier", "story", d.pk)))
        assert key.owner_id == d.pk and key.owner_type == "testapp.dossier"
    for note in notes:
        loaded_note = Note.objects.get(pk=note.pk)
        assert loaded_note.body == f"note of {note.dossier_id}"
        body_key = aead.key_id_of(_raw("testapp_note", "body", note.pk))
        assert DataKey.objects.get(pk=body_key).owner_id == note.dossier_id


@WRITERS
def test_blind_lookups_find_bulk_created_rows(write: Callable[[list[Any]], None]) -> None:
    dossiers, notes = _bulk_write(5, write)
    assert [m.row_id for m in blind.lookup("phone", "+79281230003")] == [dossiers[3].pk]
    assert [(m.row_id, m.owner_id) for m in blind.lookup("handle", "t.me/HANDLE_2")] == [
        (notes[2].pk, dossiers[2].pk)
    ]
    best = blind.lookup("name", "Murat Isaev4")
    assert best[0].row_id == dossiers[4].pk and best[0].tokens == 2
    assert {m.row_id for m in blind.lookup("name", "murat")} == {d.pk for d in dossiers}


@WRITERS
def test_index_rows_and_columns_hold_no_plaintext(write: Callable[[list[Any]], None]) -> None:
    marker = "Marker-Bulk-Zelimkhan-4711"
    dossier = Dossier(name=marker, story=marker, phone="+79281234567")
    with datakeys.bulk_keys([dossier]):
        write([dossier])
        blind.index_bulk_created([dossier])
    for column in ("name", "story", "phone"):
        raw = _raw("testapp_dossier", column, dossier.pk)
        assert marker.encode() not in raw and marker.lower().encode() not in raw
        assert b"79281234567" not in raw
    for row in BlindIndex.objects.filter(row_id=dossier.pk):
        digest = bytes(row.digest)
        assert len(digest) == 32
        assert b"zelimkhan" not in digest and b"79281234567" not in digest


@WRITERS
def test_bulk_ciphertext_is_bound_to_its_row(write: Callable[[list[Any]], None]) -> None:
    dossiers, _ = _bulk_write(2, write)
    stolen = _raw("testapp_dossier", "story", dossiers[0].pk)
    Dossier.objects.filter(pk=dossiers[1].pk).update(story=Ciphertext(stolen))
    datakeys.cache.clear()
    with pytest.raises(DecryptionFailed):
        Dossier.objects.get(pk=dossiers[1].pk).story  # noqa: B018
    assert Dossier.objects.get(pk=dossiers[0].pk).story == "story 0"


def test_no_key_query_per_row() -> None:
    def reads_for(n: int) -> list[str]:
        dossiers = [Dossier(name=f"n{i}", phone="+79281234567", story="s") for i in range(n)]
        with CaptureQueriesContext(connection) as captured, datakeys.bulk_keys(dossiers):
            Dossier.objects.bulk_create(dossiers)
            blind.index_bulk_created(dossiers)
        sql = [q["sql"] for q in captured.captured_queries]
        # Inserts come in batches (SQLite caps the parameters of a statement); nothing else
        # may grow with the number of rows.
        return [q for q in sql if not q.startswith("INSERT")]

    few, many = reads_for(3), reads_for(300)
    assert len(many) == len(few)
    assert sum("crypto_datakey" in q for q in many) == 1  # the one look-up of existing keys


def test_copy_create_refuses_rows_of_mixed_models() -> None:
    dossier = Dossier(story="s")
    with pytest.raises(ValueError, match="one model"), datakeys.bulk_keys([dossier]):
        bulkinsert.create([dossier, Note(dossier=dossier, body="b")])  # type: ignore[list-item]


def test_an_owner_with_a_key_keeps_it() -> None:
    dossier = Dossier.objects.create(story="made the usual way")
    (old_key,) = DataKey.objects.filter(owner_id=dossier.pk).values_list("pk", flat=True)
    notes = [Note(dossier=dossier, body=f"note {i}") for i in range(3)]
    with datakeys.bulk_keys([dossier]) as created:
        assert created == 0
        Note.objects.bulk_create(notes)
    assert DataKey.objects.filter(owner_id=dossier.pk).count() == 1
    datakeys.cache.clear()
    for i, note in enumerate(notes):
        assert aead.key_id_of(_raw("testapp_note", "body", note.pk)) == old_key
        assert Note.objects.get(pk=note.pk).body == f"note {i}"


def test_a_shredded_owner_is_refused_before_anything_is_written() -> None:
    gone = Dossier(story="s")
    ShredRecord.objects.create(owner_type="testapp.dossier", owner_id=gone.pk)
    with pytest.raises(RecordShredded), datakeys.bulk_keys([Dossier(), gone]):
        pytest.fail("the block must not run")
    assert DataKey.objects.count() == 0


def test_keys_roll_back_with_a_failed_block() -> None:
    dossiers = [Dossier(story="s") for _ in range(3)]
    with pytest.raises(ZeroDivisionError), datakeys.bulk_keys(dossiers):
        Dossier.objects.bulk_create(dossiers)
        1 / 0  # noqa: B018
    assert DataKey.objects.count() == 0
    assert Dossier.objects.count() == 0


def test_outside_the_block_keys_are_made_the_usual_way() -> None:
    inside = Dossier(story="s")
    with datakeys.bulk_keys([inside]):
        Dossier.objects.bulk_create([inside])
    late = Dossier(story="after the block", pk=uuid.uuid4())
    late.save()
    assert DataKey.objects.filter(owner_id=late.pk).count() == 1
    # A row of the bulk owner written afterwards goes through the database for its key.
    note = Note.objects.create(dossier=inside, body="later")
    assert aead.key_id_of(_raw("testapp_note", "body", note.pk)) == (
        DataKey.objects.get(owner_id=inside.pk).pk
    )


def test_normal_saves_still_index_as_before() -> None:
    dossier = Dossier.objects.create(phone="+7 928 765 43 21")
    assert dossier._blind_pending == {}
    assert [m.row_id for m in blind.lookup("phone", "+79287654321")] == [dossier.pk]


def test_during_a_reindex_both_roots_are_written(isolated_keys: Path) -> None:
    write_secret_file(next_blind_index_path(), encode_key(secrets.token_bytes(32)))
    keyring.reload()
    successor = keyring.blind_next()
    assert successor is not None
    dossier = Dossier(phone="+79281234567")
    with datakeys.bulk_keys([dossier]):
        Dossier.objects.bulk_create([dossier])
        assert blind.index_bulk_created([dossier]) == 2
    roots = set(BlindIndex.objects.filter(row_id=dossier.pk).values_list("root_key_id", flat=True))
    assert roots == {keyring.blind_root().key_id, successor.key_id}


BULK_WRITE = """
from passage.crypto import blind, bulkinsert, datakeys
from tests.testapp.models import Dossier, Note
m = {marker!r}
ds = [Dossier(region={control!r}, name=m + str(i), phone="+79281234567", story=m,
      details={{"m": m}}) for i in range(50)]
ns = [Note(dossier=d, body=m, handle="@" + m) for d in ds]
with datakeys.bulk_keys(ds):
    bulkinsert.create(ds)
    bulkinsert.create(ns)
    blind.index_bulk_created([*ds, *ns])
datakeys.cache.clear()
assert Dossier.objects.get(pk=ds[7].pk).name == m + "7"
print("written")
"""


def test_bulk_written_values_are_not_in_the_database_or_its_dump(
    scratch_install: ScratchInstall,
) -> None:
    marker, control = "Marker-Plaintext-Bulk-4711", "control-region-bulk-9942"
    result = scratch_install.python(BULK_WRITE.format(marker=marker, control=control))
    assert "written" in result.stdout
    if scratch_install.is_postgres:
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for this test (postgresql-client)")
        blob = subprocess.run(
            ["pg_dump", "--no-owner", scratch_install.database_url], capture_output=True, check=True
        ).stdout
    else:
        files = [p for p in scratch_install.data_dir.glob("passage.sqlite3*") if p.is_file()]
        blob = b"".join(p.read_bytes() for p in files)
    assert control.encode() in blob or control.encode().hex().encode() in blob
    raw = marker.encode()
    for form in (raw, raw.lower(), raw.hex().encode(), marker.encode("utf-16-le")):
        assert form not in blob
