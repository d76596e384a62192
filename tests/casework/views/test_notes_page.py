"""/staff/cases/<case>/notes/: notes, the add form, and who reads restricted notes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.models import Note
from passage.casework.services.notes import note_add
from tests.accounts.admin_support import post
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, reads, submit, text_of

pytestmark = pytest.mark.django_db

SECRET = "Restricted: the partner contact is compromised"


def url(case: Case) -> str:
    return reverse("casework:notes", args=[case.pk])


def test_a_caseworker_adds_a_restricted_note(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    assert "data-autosave" in page(client, url(north_case))
    response = submit(client, url(north_case), {"body": SECRET, "restricted": "on"})
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.body, note.restricted, note.author) == (SECRET, True, caseworker)
    content = page(client, url(north_case))
    assert SECRET in content and "restricted" in content
    assert reverse("casework:note-edit", args=[north_case.pk, note.pk]) in content
    assert reads(north_case, "notes")


def test_an_empty_note_is_refused(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    response = submit(signed_in(caseworker), url(north_case), {"body": " "})
    assert response.status_code == 400
    assert field_error(text_of(response), "body") == "Write the note."
    assert not Note.objects.exists()


def test_the_desk_lead_reads_restricted_notes_and_cannot_change_them(
    signed_in: Signed, caseworker: User, desk_lead: User, north_case: Case
) -> None:
    note = note_add(case=north_case, actor=caseworker, body=SECRET, restricted=True)
    content = page(signed_in(desk_lead), url(north_case))
    assert SECRET in content
    assert reverse("casework:note-edit", args=[north_case.pk, note.pk]) not in content


def test_break_glass_readers_never_see_restricted_notes(
    signed_in: Signed, caseworker: User, break_glass: User, north_case: Case
) -> None:
    note_add(case=north_case, actor=caseworker, body=SECRET, restricted=True)
    note_add(case=north_case, actor=caseworker, body="An ordinary note")
    client = signed_in(break_glass)
    content = page(client, url(north_case))
    assert "An ordinary note" in content
    assert SECRET not in content
    assert "Add a note" not in content
    assert post(client, url(north_case), {"body": "sneaky"}).status_code == 404
    timeline = page(client, reverse("cases:case-timeline", args=[north_case.pk]))
    assert "An ordinary note" in timeline and SECRET not in timeline


def test_partners_colleagues_and_outsiders_see_no_note(
    signed_in: Signed,
    caseworker: User,
    partner_user: User,
    colleague: User,
    outsider: object,
    north_case: Case,
) -> None:
    note_add(case=north_case, actor=caseworker, body=SECRET, restricted=True)
    for user in (partner_user, colleague):
        client = signed_in(user)
        assert client.get(url(north_case)).status_code == 404
        assert client.get(reverse("cases:case-timeline", args=[north_case.pk])).status_code == 404
    assert outsider.get(url(north_case)).status_code == 302  # type: ignore[attr-defined]
