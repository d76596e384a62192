"""Invariant 1 for documents: a document's number, issuing country and notes are in neither the
database file (WAL included) nor a dump; the plain columns beside them are (positive controls)."""

from __future__ import annotations

from tests.conftest import ScratchInstall
from tests.crypto.test_at_rest import _forms, stored_bytes

MARKER = "Mrk-Document-Urus-Martan-7730"
CONTROL = "control-desk-6621"

WRITE = f"""
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.documents.models import PersonDocument
from passage.documents.services.documents import DocumentDetails, document_add
m = {MARKER!r}
desk = Desk.objects.create(name={CONTROL!r})
user = User.objects.create(username="worker")
RoleGrant.objects.create(user=user, role="caseworker")
Membership.objects.create(user=user, desk=desk)
case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name="P"))
document_add(case=case, person=case.people.get(), actor=user, details=DocumentDetails(
    kind="international_passport", status="have", number=m + "-number", notes=m + "-notes",
    issuing_country="KZ"))
assert PersonDocument.objects.get().number == m + "-number"
print("written")
"""


def test_document_numbers_and_notes_are_not_in_the_database_or_its_dump(
    scratch_install: ScratchInstall,
) -> None:
    assert "written" in scratch_install.python(WRITE).stdout
    blob, where = stored_bytes(scratch_install)
    for form in _forms(MARKER):
        assert form not in blob, f"plaintext marker found in {where}"
    for control in (CONTROL, "international_passport"):
        assert control.encode() in blob, f"control {control} missing from {where}"
