"""What the access matrix's world needs of casework: a note (by the caseworker) and a task on
the North case, by id (``tests/test_access_matrix.py``)."""

from __future__ import annotations

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.services.notes import note_add
from passage.casework.services.tasks import task_add


def casework_world(case: Case, caseworker: User) -> dict[str, str]:
    note = note_add(case=case, actor=caseworker, body="a note for the access matrix")
    task = task_add(case=case, actor=caseworker, title="a task for the access matrix")
    return {"note": str(note.pk), "task": str(task.pk)}
