"""``CaseFileUploadForm``: checks the file by content while validating (the error next to the
field), shows the upload handler's refusals, and embeds as an optional part of another form."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from passage.casefiles.forms import CaseFileUploadForm
from passage.casefiles.services import CheckedUpload
from tests.casefiles.conftest import MARKER, jpeg_with_gps


def test_a_valid_form_holds_the_checked_and_stripped_file() -> None:
    form = CaseFileUploadForm({}, {"file": SimpleUploadedFile("a.jpg", jpeg_with_gps())})
    assert form.is_valid(), form.errors
    checked = form.cleaned_data["file"]
    assert isinstance(checked, CheckedUpload)
    assert checked.name == "a.jpg" and checked.clean.content_type == "image/jpeg"
    assert MARKER.encode() not in checked.clean.data


def test_a_file_refused_by_content_is_a_field_error() -> None:
    form = CaseFileUploadForm({}, {"file": SimpleUploadedFile("a.jpg", b"<html></html>")})
    assert not form.is_valid()
    assert form.errors["file"] == ["This file looks like a picture but is not one."]


def test_the_handlers_refusal_replaces_this_field_is_required() -> None:
    form = CaseFileUploadForm({}, {}, refusals=["Each file can be at most 10 MB."])
    assert not form.is_valid()
    assert form.errors["file"] == ["Each file can be at most 10 MB."]


def test_embedded_and_optional_with_a_prefix() -> None:
    empty = CaseFileUploadForm({}, {}, required=False, prefix="attachment")
    assert empty.is_valid() and empty.cleaned_data["file"] is None
    upload = SimpleUploadedFile("b.jpg", jpeg_with_gps())
    given = CaseFileUploadForm(
        {"attachment-description": "x"},
        {"attachment-file": upload},
        required=False,
        prefix="attachment",
    )
    assert given.is_valid() and isinstance(given.cleaned_data["file"], CheckedUpload)
    skipped = CaseFileUploadForm({}, {}, required=False, refusals=["too big"], prefix="a")
    assert not skipped.is_valid() and skipped.errors["file"] == ["too big"]
