"""/staff/cases/<case>/timeline/ (cases app) shows the merged timeline of casework."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.services.contacts import contact_log
from passage.casework.services.notes import note_add
from passage.casework.services.tasks import task_add
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, reads

pytestmark = pytest.mark.django_db


def test_the_timeline_merges_contacts_notes_and_tasks_with_case_events(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    contact_log(
        case=north_case,
        actor=caseworker,
        channel="telegram",
        direction="incoming",
        summary="Asked about the visa interview",
    )
    note_add(case=north_case, actor=caseworker, body="Restricted thought", restricted=True)
    task_add(case=north_case, actor=caseworker, title="Book the interview")
    content = page(signed_in(caseworker), reverse("cases:case-timeline", args=[north_case.pk]))
    for text in ("Asked about the visa interview", "Restricted thought", "Book the interview"):
        assert text in content
    assert 'data-kind="contact"' in content and 'data-kind="event"' in content
    # Newest first: the task was added last, the case was opened first.
    assert content.index("Book the interview") < content.index("Asked about the visa")
    assert content.index("Asked about the visa") < content.index("Opened")
    assert reads(north_case, "timeline")
