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
def test_lookup_on_same_row_needs_both_on_one_row() -> None:
    both = Dossier.objects.create(name="Мурат Исаев", phone="+7 928 123 45 67")
    name_only = Dossier.objects.create(name="Murat Daudov", phone="+7 928 000 00 00")
    phone_only = Dossier.objects.create(name="Adam Khasiev", phone="+79281234567")
    matches = blind.lookup_on_same_row("phone", "+79281234567", ["name"], ["Murat Isaev", "X"])
    assert [(m.row_id, m.field, m.tokens) for m in matches] == [(both.pk, "name", 2)]
    assert {m.row_id for m in blind.lookup("name", "Murat")} == {both.pk, name_only.pk}
    assert phone_only.pk not in {m.row_id for m in matches}
    assert blind.lookup_on_same_row("phone", "+79281234567", ["name"], "") == []
    assert blind.lookup_on_same_row("phone", "", ["name"], "Murat") == []
    assert (
        blind.lookup_on_same_row(
            "phone", "+79281234567", ["name"], "Murat", row_types=["testapp.note"]
        )
        == []
    )
