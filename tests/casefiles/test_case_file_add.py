"""``case_file_add``: the type comes from the content, metadata is stripped before the file is
encrypted, the limits hold, the entry is audited, and only those who work the case add files."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable

import pytest
from PIL import Image
from pypdf import PdfReader
from pytest_django import DjangoAssertNumQueries, Settings

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles import services
from passage.casefiles.models import CaseFile
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.crypto.fields import StoredFile
from tests.casefiles.conftest import MARKER, AddFile, jpeg_with_gps, pdf_with_author, png_with_text

pytestmark = pytest.mark.django_db


def stored(row: CaseFile) -> bytes:
    """The decrypted bytes as stored, read back from the database and the blob store."""
    content = CaseFile.objects.get(pk=row.pk).content
    assert isinstance(content, StoredFile)
    return content.read()


def test_a_photo_loses_its_exif_and_gps(add_file: AddFile, north_case: Case) -> None:
    row = add_file(north_case, jpeg_with_gps(), name="IMG_0001.JPG")
    data = stored(row)
    assert MARKER.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)  # no GPS
        assert 0x010F not in exif and 0x010E not in exif
        assert "comment" not in image.info and "exif" not in image.info
    assert (row.kind, row.content_type, row.extension) == ("image", "image/jpeg", "jpg")
    assert row.size == len(data)


def test_a_png_loses_its_text_chunks(add_file: AddFile, north_case: Case) -> None:
    data = stored(add_file(north_case, png_with_text()))
    assert MARKER.encode() not in data
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"):
        assert chunk not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (32, 32)


def test_a_pdf_loses_its_author_but_keeps_its_pages(add_file: AddFile, north_case: Case) -> None:
    row = add_file(north_case, pdf_with_author(text="Page text stays"), name="passport.pdf")
    data = stored(row)
    assert MARKER.encode() not in data
    assert b"/Author" not in data and b"/Title" not in data and b"/Producer" not in data
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is None or not dict(reader.metadata)
    assert len(reader.pages) == 1
    assert b"Page text stays" in reader.pages[0].get_contents().get_data()  # type: ignore[union-attr]
    assert (row.kind, row.content_type) == ("pdf", "application/pdf")


def test_the_original_name_and_description_are_kept_encrypted(
    add_file: AddFile, north_case: Case
) -> None:
    row = add_file(
        north_case,
        name="C:\\Users\\me\\Zaur passport.pdf",
        data=pdf_with_author(),
        description="Scan of the passport, page 2",
    )
    again = CaseFile.objects.get(pk=row.pk)
    assert again.content.name == "Zaur passport.pdf"
    assert again.description == "Scan of the passport, page 2"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "mismatch"),
        ("photo.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "mismatch"),
        ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "mismatch"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "not_accepted"),
        ("page.html", b"<html><body>hello</body></html>", "not_accepted"),
        ("empty.png", b"", "empty"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "damaged"),
    ],
)
def test_files_are_judged_by_their_content(
    add_file: AddFile, north_case: Case, name: str, data: bytes, code: str
) -> None:
    with pytest.raises(services.FileRefused) as refused:
        add_file(north_case, data, name=name)
    assert refused.value.code == code
    assert name not in str(refused.value)
    assert not CaseFile.objects.exists()
    assert not AuditEntry.objects.filter(action="case.file_added").exists()


def test_a_picture_named_as_another_picture_is_stored_as_what_it_is(
    add_file: AddFile, north_case: Case
) -> None:
    row = add_file(north_case, png_with_text(), name="photo.jpg")
    assert (row.content_type, row.extension) == ("image/png", "png")


def test_the_size_limit_comes_from_the_setting(
    add_file: AddFile, north_case: Case, settings: Settings
) -> None:
    data = pdf_with_author()
    settings.PASSAGE_UPLOAD_FILE_BYTES = len(data) - 1
    with pytest.raises(services.FileRefused) as refused:
        add_file(north_case, data, name="scan.pdf")
    assert refused.value.code == "too_large"
    assert str(refused.value) == "This file is too large."
    settings.PASSAGE_UPLOAD_FILE_BYTES = len(data)
    add_file(north_case, data, name="scan.pdf")


def test_numbers_count_up_and_the_entry_names_the_file_only(
    add_file: AddFile, north_case: Case, caseworker: User
) -> None:
    first = add_file(north_case)
    second = add_file(north_case, pdf_with_author(), name="b.pdf", description=MARKER)
    assert (first.number, second.number) == (1, 2)
    entries = AuditEntry.objects.filter(action="case.file_added").order_by("sequence")
    assert [(e.object_type, e.object_id) for e in entries] == [
        ("casefile", str(first.pk)),
        ("casefile", str(second.pk)),
    ]
    assert {e.actor for e in entries} == {f"user:{caseworker.pk}"}


def test_an_upload_checked_by_a_form_is_not_cleaned_twice(
    add_file: AddFile, north_case: Case, caseworker: User
) -> None:
    checked = services.check_upload(services.Upload(name="a.jpg", data=jpeg_with_gps()))
    row = services.case_file_add(case=north_case, actor=caseworker, upload=checked)
    assert stored(row) == checked.clean.data


def test_a_file_can_be_attached_to_something_of_the_case(
    add_file: AddFile, north_case: Case
) -> None:
    contact = uuid.uuid4()
    row = add_file(north_case, attached_kind="contact", attached_id=contact)
    assert (row.attached_kind, row.attached_id) == ("contact", contact)
    for kind, object_id in (("contact", None), (None, contact), ("Contact!", contact)):
        with pytest.raises(InvalidInput):
            add_file(north_case, attached_kind=kind, attached_id=object_id)


def test_only_those_who_work_the_case_add_files(
    add_file: AddFile,
    north_case: Case,
    colleague: User,
    partner_user: User,
    break_glass: Callable[[Case], None],
) -> None:
    with pytest.raises(CaseNotFound):
        add_file(north_case, actor=colleague)
    with pytest.raises(CaseNotFound):
        add_file(north_case, actor=partner_user)
    break_glass(north_case)
    with pytest.raises(NotAllowed):
        add_file(north_case, actor=colleague)  # break-glass reads, never writes
    assert not CaseFile.objects.exists()


def test_a_long_description_is_refused(add_file: AddFile, north_case: Case) -> None:
    with pytest.raises(InvalidInput):
        add_file(north_case, description="x" * (services.MAX_DESCRIPTION + 1))


def test_the_list_columns_are_plain_and_cheap(
    add_file: AddFile, north_case: Case, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    row = add_file(north_case)
    with django_assert_max_num_queries(1):
        again = CaseFile.objects.get(pk=row.pk)
        assert (again.number, again.kind, again.size) == (1, "image", row.size)
