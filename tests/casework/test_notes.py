"""note_add / note_edit: encrypted notes, restricted ones hidden from break-glass readers,
edits by the author only, every write audited."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.casework import queries
from passage.casework.models import Note
from passage.casework.services.notes import note_add, note_edit
from tests.cases.helpers import audit_entries, case_key_ids, raw_key_id, raw_value
from tests.casework.conftest import view_of

pytestmark = pytest.mark.django_db

BODY = "Her brother knows where she works; do not call during the day."


def test_a_note_is_added_encrypted_and_audited(north_case: Case, caseworker: User) -> None:
    note = note_add(case=north_case, actor=caseworker, body=f"  {BODY}  ")
    stored = Note.objects.get(pk=note.pk)
    assert (stored.body, stored.author, stored.restricted) == (BODY, caseworker, False)
    assert BODY.encode() not in raw_value("casework_note", "body", note.pk)
    assert raw_key_id("casework_note", "body", note.pk) in case_key_ids(north_case)
    assert len(audit_entries("case.note_added", north_case.pk)) == 1


def test_restricted_notes_are_only_for_those_who_work_the_case(
    north_case: Case, caseworker: User, desk_lead: User, break_glass: User
) -> None:
    note_add(case=north_case, actor=caseworker, body="open to readers")
    note_add(case=north_case, actor=caseworker, body=BODY, restricted=True)
    bodies = [n.body for n in queries.notes_of(view_of(desk_lead, north_case))]
    assert bodies == [BODY, "open to readers"]
    glass = view_of(break_glass, north_case)
    assert glass.is_break_glass
    assert [n.body for n in queries.notes_of(glass)] == ["open to readers"]
    restricted = Note.objects.get(restricted=True)
    assert queries.note_of(glass, restricted.pk) is None
    assert queries.note_of(view_of(desk_lead, north_case), restricted.pk) == restricted


def test_the_author_edits_a_note_and_nobody_else_does(
    north_case: Case, caseworker: User, desk_lead: User, break_glass: User
) -> None:
    note = note_add(case=north_case, actor=caseworker, body="first words")
    with pytest.raises(NotAllowed, match="Only the author"):
        note_edit(note=note, actor=desk_lead, body="rewritten", restricted=False)
    with pytest.raises(NotAllowed):
        note_edit(note=note, actor=break_glass, body="rewritten", restricted=False)
    edited = note_edit(note=note, actor=caseworker, body=BODY, restricted=True)
    stored = Note.objects.get(pk=note.pk)
    assert (stored.body, stored.restricted) == (BODY, True)
    assert stored.edited_at == edited.edited_at is not None
    assert len(audit_entries("case.note_edited", north_case.pk)) == 1


def test_empty_notes_and_outsiders_are_refused(
    north_case: Case, caseworker: User, partner_user: User, colleague: User
) -> None:
    with pytest.raises(InvalidInput, match="Write the note"):
        note_add(case=north_case, actor=caseworker, body="   ")
    with pytest.raises(CaseNotFound):
        note_add(case=north_case, actor=partner_user, body=BODY)
    with pytest.raises(CaseNotFound):
        note_add(case=north_case, actor=colleague, body=BODY)
    assert not Note.objects.exists()
