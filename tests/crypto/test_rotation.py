from pathlib import Path

import pytest

from passage.crypto import aead, blind, datakeys, rotation
from passage.crypto.exceptions import DecryptionFailed
from passage.crypto.fields import PlainFile
from passage.crypto.keyfiles import key_id_for, read_key_file
from passage.crypto.models import BlindIndex, DataKey, RotationRun
from tests.testapp.models import Dossier, Note

pytestmark = pytest.mark.django_db


def _make(n: int) -> list[Dossier]:
    out = []
    for i in range(n):
        d = Dossier.objects.create(
            name=f"Person{i} Family",
            story=f"story {i}",
            scan=PlainFile(f"{i}.txt", f"file {i}".encode()),
        )
        Note.objects.create(dossier=d, body=f"note {i}", handle=f"@handle{i}")
        out.append(d)
    return out


def test_master_rotation_rewraps_every_data_key(isolated_keys: Path) -> None:
    dossiers = _make(3)
    old_key = read_key_file(isolated_keys / "master.key", label="master")
    result = rotation.rotate_master(keep_old=isolated_keys / "old-master.key")
    new_key = read_key_file(isolated_keys / "master.key", label="master")
    assert new_key != old_key and result.rewrapped == 3
    assert result.new_key_id == key_id_for("master", new_key)
    assert not (isolated_keys / "master.key.next").exists()
    assert (isolated_keys / "old-master.key").read_bytes().strip() != b""

    for data_key in DataKey.objects.all():
        assert data_key.master_key_id == result.new_key_id
        # The old master key opens nothing any more.
        with pytest.raises(DecryptionFailed):
            aead.decrypt(
                old_key, bytes(data_key.wrapped), datakeys._wrap_aad(data_key.id, data_key.owner_id)
            )
    datakeys.cache.clear()
    for i, d in enumerate(dossiers):
        loaded = Dossier.objects.get(pk=d.pk)
        assert loaded.story == f"story {i}"
        assert loaded.scan.read() == f"file {i}".encode()


def test_master_rotation_resumes_after_interruption(
    isolated_keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make(5)
    monkeypatch.setattr(rotation, "BATCH", 2)
    calls = {"n": 0}
    real_wrap = datakeys.wrap

    def flaky_wrap(**kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_wrap(**kwargs)

    monkeypatch.setattr(datakeys, "wrap", flaky_wrap)
    with pytest.raises(KeyboardInterrupt):
        rotation.rotate_master()
    assert (isolated_keys / "master.key.next").exists()
    # Mid-rotation the application still reads everything (both master keys are loaded).
    datakeys.cache.clear()
    assert {d.story for d in Dossier.objects.all()} == {f"story {i}" for i in range(5)}
    monkeypatch.setattr(datakeys, "wrap", real_wrap)
    rotation.rotate_master()
    assert DataKey.objects.values("master_key_id").distinct().count() == 1
    datakeys.cache.clear()
    assert {n.body for n in Note.objects.all()} == {f"note {i}" for i in range(5)}


def test_data_key_rotation_reencrypts_everything(
    isolated_keys: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    dossiers = _make(3)
    old_ids = set(DataKey.objects.values_list("id", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        changed = rotation.rotate_data_keys()
    assert changed == 6  # 3 dossiers and 3 notes
    new_ids = set(DataKey.objects.values_list("id", flat=True))
    assert new_ids.isdisjoint(old_ids) and len(new_ids) == 3
    assert RotationRun.objects.get().finished_at is not None
    datakeys.cache.clear()
    for i, d in enumerate(dossiers):
        loaded = Dossier.objects.get(pk=d.pk)
        raw = Dossier.objects.filter(pk=d.pk).values_list("story", flat=True).get()
        assert aead.key_id_of(raw) in new_ids
        assert (loaded.name, loaded.story, loaded.scan.read()) == (
            f"Person{i} Family",
            f"story {i}",
            f"file {i}".encode(),
        )
        assert d.notes.get().body == f"note {i}"
    blobs = [p for p in Path(isolated_keys.parent / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 3  # old blobs removed after commit


def test_reindex_moves_every_index_to_a_new_root(isolated_keys: Path) -> None:
    dossiers = _make(2)
    old_root = read_key_file(isolated_keys / "blind-index.key", label="root")
    result = rotation.reindex()
    assert read_key_file(isolated_keys / "blind-index.key", label="root") != old_root
    assert set(BlindIndex.objects.values_list("root_key_id", flat=True)) == {result.new_key_id}
    assert [m.row_id for m in blind.lookup("name", "person1")] == [dossiers[1].pk]
    assert [m.owner_id for m in blind.lookup("handle", "@HANDLE0")] == [dossiers[0].pk]
