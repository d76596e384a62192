"""Invariant 1 for casework: what a contact, a note and a task say is in neither the database
file (WAL included) nor a dump; the plain columns beside them are (positive controls)."""

from __future__ import annotations

from tests.conftest import ScratchInstall
from tests.crypto.test_at_rest import _forms, stored_bytes

MARKER = "Mrk-Casework-Sunzha-5521"
CONTROL = "control-desk-8814"

WRITE = f"""
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.casework.models import Contact, Note, Task
from passage.casework.services import contacts, notes, tasks
m = {MARKER!r}
desk = Desk.objects.create(name={CONTROL!r})
user = User.objects.create(username="worker")
RoleGrant.objects.create(user=user, role="caseworker")
Membership.objects.create(user=user, desk=desk)
case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name="P"))
contacts.contact_log(case=case, actor=user, channel="whatsapp", direction="incoming",
    summary=m + "-summary", with_whom=m + "-whom")
notes.note_add(case=case, actor=user, body=m + "-note", restricted=True)
tasks.task_add(case=case, actor=user, title=m + "-task")
assert Contact.objects.get().summary == m + "-summary"
assert Note.objects.get().body == m + "-note"
assert Task.objects.get().title == m + "-task"
print("written")
"""


def _assert_absent(blob: bytes, where: str) -> None:
    for form in _forms(MARKER):
        assert form not in blob, f"plaintext marker found in {where}"
    for control in (CONTROL, "whatsapp"):
        assert control.encode() in blob, f"control {control} missing from {where}"


def test_contacts_notes_and_tasks_are_not_in_the_database_or_its_dump(
    scratch_install: ScratchInstall,
) -> None:
    assert "written" in scratch_install.python(WRITE).stdout
    _assert_absent(*stored_bytes(scratch_install))
