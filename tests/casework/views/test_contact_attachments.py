"""A file sent with a contact (a voice message, a photo of a document): attached while logging
the contact, in the same post; checked and stripped like any case file; refused files keep the
contact from being logged and say why next to the field."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from passage.accounts.models import User
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from passage.casework.models import CONTACT_ATTACHMENT, Contact
from tests.casefiles.conftest import MARKER, jpeg_with_gps
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, form_token, page, text_of

pytestmark = pytest.mark.django_db

SUMMARY = "Sent a photo of the summons over Signal."


def url(case: Case) -> str:
    return reverse("casework:contacts", args=[case.pk])


def log_with(client: Client, case: Case, name: str, data: bytes) -> Any:
    token = form_token(client, url(case))
    return client.post(
        url(case),
        {
            "csrfmiddlewaretoken": token,
            "channel": "signal",
            "direction": "incoming",
            "summary": SUMMARY,
            "next_contact": "",
            "attachment-file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "attachment-description": "the summons",
        },
    )


def test_a_contact_is_logged_with_its_file_stripped_and_attached(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    form = page(client, url(north_case))
    assert 'enctype="multipart/form-data"' in form and 'name="attachment-file"' in form
    response = log_with(client, north_case, "summons.jpg", jpeg_with_gps())
    assert response.status_code == 302
    contact = Contact.objects.get()
    stored = CaseFile.objects.get()
    assert (stored.case_id, stored.attached_kind, stored.attached_id) == (
        north_case.pk,
        CONTACT_ATTACHMENT,
        contact.pk,
    )
    assert stored.description == "the summons"
    data = stored.content.read()
    assert MARKER.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif().get_ifd(0x8825)  # no GPS position left
    # The log offers the file beside the contact, behind the audited Open button.
    shown = page(client, url(north_case))
    download = reverse("casefiles:file-download", args=[north_case.pk, stored.pk])
    assert f'action="{download}"' in shown and "Open file 1" in shown


def test_a_refused_file_logs_nothing_and_keeps_what_was_typed(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = log_with(client, north_case, "photo.jpg", b"<html><script>x</script></html>")
    assert response.status_code == 400
    content = text_of(response)
    assert field_error(content, "attachment-file")
    assert "summons over Signal" in content
    assert not Contact.objects.exists() and not CaseFile.objects.exists()


def test_a_contact_without_a_file_attaches_nothing(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    token = form_token(client, url(north_case))
    response = client.post(
        url(north_case),
        {
            "csrfmiddlewaretoken": token,
            "channel": "phone",
            "direction": "outgoing",
            "summary": SUMMARY,
            "next_contact": "",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.count() == 1 and not CaseFile.objects.exists()
