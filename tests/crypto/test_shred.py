from pathlib import Path

import pytest

from passage.crypto import blind, shred
from passage.crypto.exceptions import CryptoError, RecordShredded
from passage.crypto.fields import PlainFile
from passage.crypto.models import BlindIndex, DataKey, ShredRecord
from tests.testapp.models import Dossier, Note

pytestmark = pytest.mark.django_db


def _files(blob_dir: Path) -> list[Path]:
    return [p for p in blob_dir.rglob("*") if p.is_file()]


def test_after_shred_nothing_decrypts_and_a_tombstone_remains(
    blob_dir: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    dossier = Dossier.objects.create(
        region="caucasus", name="Murat", phone="+79281234567", story="s", scan=PlainFile("f", b"c")
    )
    Note.objects.create(dossier=dossier, body="n", handle="@murat")
    keep = Dossier.objects.create(name="Keep Me", story="kept")
    assert len(_files(blob_dir)) == 1

    # A reader that loaded the row before the shred cannot decrypt it afterwards either.
    stale = Dossier.objects.get(pk=dossier.pk)
    with django_capture_on_commit_callbacks(execute=True):
        result = shred.shred(dossier)
    assert result.data_keys == 1 and result.rows_emptied == 2 and result.files_deleted == 1
    assert _files(blob_dir) == []
    with pytest.raises(RecordShredded):
        stale.story  # noqa: B018

    tomb = Dossier.objects.get(pk=dossier.pk)
    assert tomb.region == "caucasus"
    assert (tomb.name, tomb.story, tomb.scan) == (None, None, None)
    assert Note.objects.get(dossier=dossier).body is None
    assert not DataKey.objects.filter(owner_id=dossier.pk).exists()
    assert not BlindIndex.objects.filter(owner_id=dossier.pk).exists()
    assert blind.lookup("name", "murat") == []
    assert ShredRecord.objects.filter(owner_id=dossier.pk).exists()

    # Nothing new can be written under a shredded record.
    tomb.story = "new data"
    with pytest.raises(RecordShredded):
        tomb.save()
    # Other records are untouched.
    assert Dossier.objects.get(pk=keep.pk).story == "kept"
    assert [m.row_id for m in blind.lookup("name", "keep")] == [keep.pk]


def test_only_key_owners_can_be_shredded() -> None:
    dossier = Dossier.objects.create(story="s")
    note = Note.objects.create(dossier=dossier, body="n")
    with pytest.raises(CryptoError):
        shred.shred(note)


def test_ledger_replay_shreds_a_restored_record_again() -> None:
    dossier = Dossier.objects.create(name="Restored From Backup", story="s")
    wrapped = list(DataKey.objects.filter(owner_id=dossier.pk).values())
    shred.shred(dossier)
    # Simulate a restore from an older backup: the key and the ciphertext are back.
    DataKey.objects.bulk_create([DataKey(**row) for row in wrapped])
    restored = Dossier.objects.get(pk=dossier.pk)
    assert restored.name is None  # columns were emptied; put one back through the old key:
    assert shred.replay_ledger() == 1
    assert not DataKey.objects.filter(owner_id=dossier.pk).exists()
    assert shred.replay_ledger() == 0
