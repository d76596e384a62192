import uuid

import pytest
from django.db import connection, transaction

from passage.crypto import aead
from passage.crypto.exceptions import CryptoError, DecryptionFailed
from passage.crypto.fields import Ciphertext, PlainFile, StoredFile
from passage.crypto.models import DataKey
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


def test_uuid_is_assigned_before_the_first_write() -> None:
    dossier = Dossier(name="x")
    assert isinstance(dossier.pk, uuid.UUID)


def test_text_json_and_file_round_trip() -> None:
    dossier = Dossier.objects.create(
        name="Мурат Исаев",
        story="Long story with ünïcode and 𝔰𝔶𝔪𝔟𝔬𝔩𝔰",
        details={"languages": ["ru", "ce"], "household": 3, "needs": None},
        scan=PlainFile("passport photo.jpg", b"\xff\xd8 jpeg bytes", "image/jpeg"),
    )
    loaded = Dossier.objects.get(pk=dossier.pk)
    assert loaded.name == "Мурат Исаев"
    assert loaded.story == "Long story with ünïcode and 𝔰𝔶𝔪𝔟𝔬𝔩𝔰"
    assert loaded.details == {"languages": ["ru", "ce"], "household": 3, "needs": None}
    assert isinstance(loaded.scan, StoredFile)
    assert loaded.scan.name == "passport photo.jpg"
    assert loaded.scan.content_type == "image/jpeg"
    assert loaded.scan.read() == b"\xff\xd8 jpeg bytes"
    assert loaded.phone is None


def test_database_holds_only_ciphertext_bound_to_the_row() -> None:
    dossier = Dossier.objects.create(name="Marker Zelimkhan", story="marker-story-7731")
    raw = _raw("testapp_dossier", "story", dossier.pk)
    assert b"marker-story-7731" not in raw
    key_id = aead.key_id_of(raw)
    assert DataKey.objects.get(pk=key_id).owner_id == dossier.pk


def test_unread_fields_stay_ciphertext_until_accessed() -> None:
    dossier = Dossier.objects.create(story="s")
    loaded = Dossier.objects.get(pk=dossier.pk)
    assert isinstance(loaded.__dict__["story"], Ciphertext)
    assert loaded.story == "s"
    assert loaded.__dict__["story"] == "s"


def test_ciphertext_copied_to_another_row_fails_to_decrypt() -> None:
    first = Dossier.objects.create(story="first secret")
    second = Dossier.objects.create(story="second secret")
    # Copy with the owner's key intact: same table, same column, another row.
    stolen = Dossier.objects.filter(pk=first.pk).values_list("story", flat=True).get()
    Dossier.objects.filter(pk=second.pk).update(story=Ciphertext(bytes(stolen)))
    with pytest.raises(DecryptionFailed):
        Dossier.objects.get(pk=second.pk).story  # noqa: B018


def test_ciphertext_copied_to_another_column_fails_to_decrypt() -> None:
    dossier = Dossier.objects.create(story="story", name="name")
    story = Dossier.objects.filter(pk=dossier.pk).values_list("story", flat=True).get()
    Dossier.objects.filter(pk=dossier.pk).update(name=Ciphertext(bytes(story)))
    with pytest.raises(DecryptionFailed):
        Dossier.objects.get(pk=dossier.pk).name  # noqa: B018


def test_plaintext_never_reaches_the_database() -> None:
    dossier = Dossier.objects.create(story="s")
    with pytest.raises(CryptoError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(story="plaintext via update")
    with pytest.raises(CryptoError):
        list(Dossier.objects.filter(story="plaintext in a WHERE clause"))
    assert Dossier.objects.get(pk=dossier.pk).story == "s"


def test_wrong_value_types_are_refused() -> None:
    with pytest.raises(CryptoError), transaction.atomic():
        Dossier.objects.create(story=42)
    with pytest.raises(CryptoError), transaction.atomic():
        Dossier.objects.create(details={"when": object()})
    with pytest.raises(CryptoError), transaction.atomic():
        Dossier.objects.create(scan=b"raw bytes are not a PlainFile")


def test_child_rows_use_their_owner_key_and_one_key_per_owner() -> None:
    dossier = Dossier.objects.create(story="s")
    note = Note.objects.create(dossier=dossier, body="note body")
    other = Dossier.objects.create(story="t")
    assert DataKey.objects.filter(owner_id=dossier.pk).count() == 1
    body = Note.objects.filter(pk=note.pk).values_list("body", flat=True).get()
    story = Dossier.objects.filter(pk=dossier.pk).values_list("story", flat=True).get()
    assert aead.key_id_of(body) == aead.key_id_of(story)
    other_story = Dossier.objects.filter(pk=other.pk).values_list("story", flat=True).get()
    assert aead.key_id_of(other_story) != aead.key_id_of(story)
    assert Note.objects.get(pk=note.pk).body == "note body"


def test_saving_again_keeps_values_and_rewrites_only_what_was_read() -> None:
    dossier = Dossier.objects.create(story="unchanged", details={"a": 1})
    before = Dossier.objects.filter(pk=dossier.pk).values_list("story", flat=True).get()
    loaded = Dossier.objects.get(pk=dossier.pk)
    loaded.details["a"] = 2  # mutate in place: must be saved, not lost
    loaded.save()
    again = Dossier.objects.get(pk=dossier.pk)
    assert again.story == "unchanged"
    assert again.details == {"a": 2}
    # The story was never read on `loaded`, so its ciphertext went back untouched.
    after = Dossier.objects.filter(pk=dossier.pk).values_list("story", flat=True).get()
    assert bytes(before) == bytes(after)
    again.save()
    rewritten = Dossier.objects.filter(pk=dossier.pk).values_list("story", flat=True).get()
    assert bytes(rewritten) != bytes(after)
    assert Dossier.objects.get(pk=dossier.pk).story == "unchanged"


def test_replacing_a_file_keeps_the_new_content(blob_dir) -> None:
    dossier = Dossier.objects.create(scan=PlainFile("a.txt", b"first"))
    dossier.scan = PlainFile("b.txt", b"second", "text/plain")
    dossier.save()
    loaded = Dossier.objects.get(pk=dossier.pk)
    assert (loaded.scan.name, loaded.scan.read()) == ("b.txt", b"second")
    for blob in blob_dir.rglob("*"):
        if blob.is_file():
            data = blob.read_bytes()
            assert b"second" not in data and b"first" not in data and b"b.txt" not in data


def test_encrypted_fields_refuse_serialisation() -> None:
    from django.core import serializers

    dossier = Dossier.objects.create(story="s")
    with pytest.raises(CryptoError):
        serializers.serialize("json", [dossier])


def test_preload_fetches_the_keys_of_many_rows_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from passage.crypto import datakeys

    for i in range(5):
        Dossier.objects.create(story=f"story {i}")
    datakeys.cache.clear()
    rows = list(Dossier.objects.all())
    with django_assert_num_queries(1):
        assert datakeys.preload(rows) == 5
    with django_assert_num_queries(0):
        assert sorted(r.story for r in rows) == [f"story {i}" for i in range(5)]
