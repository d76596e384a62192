"""/staff/cases/<case>/notes/<note>/edit/: the author changes a note; anyone else gets 404."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.models import Note
from passage.casework.services.notes import note_add
from tests.accounts.admin_support import post
from tests.cases.helpers import audit_entries
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, submit

pytestmark = pytest.mark.django_db


def test_the_author_changes_a_note(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    note = note_add(case=north_case, actor=caseworker, body="first version")
    path = reverse("casework:note-edit", args=[north_case.pk, note.pk])
    client = signed_in(caseworker)
    form = page(client, path)
    assert "first version" in form and "data-autosave" in form
    response = submit(client, path, {"body": "second version"})
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:notes", args=[north_case.pk])
    stored = Note.objects.get(pk=note.pk)
    assert (stored.body, stored.restricted) == ("second version", False)
    assert len(audit_entries("case.note_edited", north_case.pk)) == 1


def test_others_and_unknown_notes_get_404(
    signed_in: Signed, caseworker: User, desk_lead: User, colleague: User, north_case: Case
) -> None:
    note = note_add(case=north_case, actor=caseworker, body="mine")
    path = reverse("casework:note-edit", args=[north_case.pk, note.pk])
    for user in (desk_lead, colleague):
        client = signed_in(user)
        page(client, path, status=404)
        assert post(client, path, {"body": "theirs"}).status_code == 404
    missing = reverse("casework:note-edit", args=[north_case.pk, uuid.uuid4()])
    page(signed_in(caseworker), missing, status=404)
    assert Note.objects.get(pk=note.pk).body == "mine"
