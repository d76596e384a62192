"""case_timeline: case events, contacts, mailbox messages, notes and tasks in one list,
newest first; restricted notes only for those who work the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.services import workflow
from passage.cases.workflow import Stage
from passage.casework import queries
from passage.casework.services.contacts import contact_log
from passage.casework.services.notes import note_add
from passage.casework.services.tasks import task_add, task_complete
from passage.intake.services import public as intake
from passage.intake.services import screening
from tests.casework.conftest import view_of

pytestmark = pytest.mark.django_db


def test_everything_of_the_case_in_one_timeline_newest_first(
    north_case: Case, caseworker: User, screener: User, memstore: None
) -> None:
    receipt = intake.request_submit(country="RU", urgency="days", language="ru")
    intake.message_send(session=receipt.session, text="I am safe for now", files=[])
    screening.request_attach(request=receipt.request, case=north_case, actor=screener)
    workflow.case_transition(case=north_case, to_stage=Stage.SCREENING, actor=caseworker)
    contact_log(
        case=north_case,
        actor=caseworker,
        channel="signal",
        direction="outgoing",
        summary="Checked in; all quiet.",
        happened_at=timezone.now() - dt.timedelta(minutes=1),
    )
    note_add(case=north_case, actor=caseworker, body="A note")
    task = task_add(case=north_case, actor=caseworker, title="Book the bus")
    task_complete(task=task, actor=caseworker)

    entries = queries.case_timeline(view_of(caseworker, north_case))
    kinds = [e.kind for e in entries]
    assert set(kinds) == {"event", "contact", "mailbox", "note", "task_added", "task_done"}
    moments = [e.at for e in entries]
    assert moments == sorted(moments, reverse=True)
    assert kinds[0] == "task_done"
    by_kind = {e.kind: e for e in entries}
    assert by_kind["contact"].title == "Signal · We contacted them"
    assert by_kind["contact"].text == "Checked in; all quiet."
    assert by_kind["contact"].who == caseworker
    assert by_kind["mailbox"].text == "I am safe for now"
    assert (by_kind["task_done"].title, by_kind["task_done"].who) == ("Book the bus", caseworker)
    assert by_kind["note"].text == "A note"
    stages = [e.title for e in entries if e.kind == "event"]
    assert "Stage changed: New → Screening" in stages
    assert stages[-1].startswith("Opened")


def test_restricted_notes_stay_out_of_a_break_glass_timeline(
    north_case: Case, caseworker: User, break_glass: User
) -> None:
    note_add(case=north_case, actor=caseworker, body="only for the desk", restricted=True)
    note_add(case=north_case, actor=caseworker, body="for any reader")
    worked = [e.text for e in queries.case_timeline(view_of(caseworker, north_case))]
    assert "only for the desk" in worked and "for any reader" in worked
    glass = [e.text for e in queries.case_timeline(view_of(break_glass, north_case))]
    assert "for any reader" in glass
    assert "only for the desk" not in glass
