import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passage.crypto import blind
from passage.crypto.models import BlindIndex
from tests.testapp.models import Dossier, Note


@pytest.mark.parametrize(
    ("scope", "value", "expected"),
    [
        ("phone", "+7 (928) 123-45-67", ["+79281234567"]),
        ("phone", "0079281234567", ["+79281234567"]),
        ("phone", "12", []),
        ("handle", "@Murat_Free", ["murat_free"]),
        ("handle", "https://t.me/murat_free", ["murat_free"]),
        ("handle", "+7 928 123 45 67", ["+79281234567"]),
        ("name", "Мурат  Исаев", ["murat", "isaev"]),
        ("name", "MURAT isaev murat", ["murat", "isaev"]),
        # Signs that transliterate to marks stay inside their word.
        ("name", "Крылов Феоктист Федосьевич", ["krylov", "feoktist", "fedosevich"]),
        ("name", "Наталья Подъячева", ["natalya", "podyacheva"]),
        ("name", "سعيد", ["syd"]),
        ("name", "O'Brien Dar\u2019ya", ["obrien", "darya"]),
        ("date", "03.02.1994", ["1994-02-03"]),
        ("date", dt.date(1994, 2, 3), ["1994-02-03"]),
        ("date", "someday", []),
        ("exact", "  AB  123 ", ["ab 123"]),
    ],
)
def test_normalisation(scope: str, value: object, expected: list[str]) -> None:
    assert blind.normalise(scope, value) == expected


@given(st.text(max_size=40))
def test_name_normalisation_is_idempotent_and_ascii(name: str) -> None:
    tokens = blind.normalise("name", name)
    assert all(t.isascii() and t == t.lower() for t in tokens)
    assert blind.normalise("name", " ".join(tokens)) == tokens


def test_scopes_have_separate_keys() -> None:
    assert blind.digests("exact", "murat") != blind.digests("name", "murat")


@pytest.mark.django_db
def test_lookup_matches_across_scripts_and_formats() -> None:
    dossier = Dossier.objects.create(name="Мурат Исаев", phone="+7 928 123-45-67")
    Note.objects.create(dossier=dossier, handle="+79281234567")
    Dossier.objects.create(name="Someone Else", phone="+33 6 12 34 56 78")

    by_name = blind.lookup("name", "Murat ISAEV")
    assert by_name[0].row_id == dossier.pk and by_name[0].tokens == 2
    assert {m.row_id for m in blind.lookup("phone", "+7-928-123-45-67 ")} == {dossier.pk}
    handles = blind.lookup("handle", "https://wa.me/+79281234567")
    assert [(m.row_type, m.owner_id) for m in handles] == [("testapp.note", dossier.pk)]
    assert blind.lookup("phone", "+7 999 000 00 00") == []


@pytest.mark.django_db
def test_index_follows_changes_and_deletion() -> None:
    dossier = Dossier.objects.create(name="Old Name")
    dossier.name = "New Person"
    dossier.save()
    assert blind.lookup("name", "old") == []
    assert [m.row_id for m in blind.lookup("name", "person")] == [dossier.pk]
    Note.objects.create(dossier=dossier, handle="@cascade")
    dossier.delete()  # the note goes by cascade, without its own delete()
    assert not BlindIndex.objects.filter(row_id=dossier.pk).exists()
    assert blind.lookup("handle", "@cascade") == []


@pytest.mark.django_db
def test_index_rows_hold_no_plaintext() -> None:
    Dossier.objects.create(name="Zelimkhan", phone="+79281234567")
    for row in BlindIndex.objects.all():
        assert b"zelimkhan" not in bytes(row.digest).lower()
        assert len(bytes(row.digest)) == 32


@pytest.mark.django_db
def test_digests_near_gives_the_digests_of_rows_sharing_the_anchor() -> None:
    near = Dossier.objects.create(name="Murat Isaev", phone="+7 928 123 45 67")
    Dossier.objects.create(name="Murat Isaev", phone="+7 928 000 00 00")
    wanted = {"name": "Murat Petrov"}
    found = blind.digests_near("phone", "+79281234567", wanted, row_types=["testapp.dossier"])
    assert list(found) == [("testapp.dossier", near.pk, near.pk)]
    # Only the digests looked for that the row holds: "murat", not "isaev" nor "petrov".
    assert found[("testapp.dossier", near.pk, near.pk)] == set(blind.digests("name", "Murat"))
    assert blind.digests_near("phone", "+7 999 999 99 99", wanted) == {}
    assert blind.digests_near("phone", "+79281234567", {"name": "Zelimkhan"}) == {}
    assert blind.digests_near("phone", "", wanted) == {}
    assert blind.digests_near("phone", "+79281234567", {"name": ""}) == {}
    assert blind.digests_near("phone", "+79281234567", wanted, row_types=["testapp.note"]) == {}
