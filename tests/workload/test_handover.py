"""The handover service: a leaver's cases to one or several colleagues, in one transaction,
one ``case.assigned`` audit entry and one timeline entry (with the encrypted note) per case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from passage.accounts.models import Desk, User
from passage.cases.exceptions import CaseError, InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent
from passage.cases.services import assignment
from passage.workload import services
from tests.workload.support import entries

pytestmark = pytest.mark.django_db

NOTE = "Call before noon; the sister answers the phone."


def hand_over(case_ids: list[Any], receivers: list[User], actor: User, note: str = "") -> int:
    """The North desk's leaver's cases to ``receivers`` (the service, as the page calls it)."""
    desk = Desk.objects.get(name="North Caucasus")
    leaver = User.objects.get(username="leaver")
    return services.handover(
        desk=desk, leaver=leaver, case_ids=case_ids, receivers=receivers, note=note, actor=actor
    )


def test_forty_cases_are_handed_over_at_once_with_forty_audit_entries(
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    cases = leaver_cases(40)
    before = len(entries("case.assigned"))
    moved = hand_over([c.pk for c in cases], [caseworker2], desk_lead, note=NOTE)
    assert moved == 40
    assert Case.objects.filter(assignee=caseworker2).count() == 40
    assert Case.objects.filter(assignee=leaver).count() == 0
    new = entries("case.assigned")[before:]
    assert len(new) == 40
    assert {e.object_id for e in new} == {str(c.pk) for c in cases}
    assert {e.actor for e in new} == {f"user:{desk_lead.pk}"}
    # One transaction: the 40 entries were written together, nothing else between them.
    sequences = [e.sequence for e in new]
    assert sequences == list(range(sequences[0], sequences[0] + 40))
    assert len(entries("workload.handover", str(leaver.pk))) == 1


def test_each_case_keeps_the_note_encrypted_on_its_timeline(
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    cases = leaver_cases(2)
    hand_over([c.pk for c in cases], [caseworker2], desk_lead, note=NOTE)
    for case in cases:
        event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ASSIGNED).latest("at")
        assert event.subject_user_id == caseworker2.pk
        assert event.note == NOTE
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_caseevent WHERE note IS NOT NULL")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(NOTE.encode() not in bytes(value) for value in stored)


def test_several_receivers_share_the_cases_evenly(
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    caseworker: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    cases = leaver_cases(5)
    hand_over([c.pk for c in cases], [caseworker, caseworker2], desk_lead)
    mine = Case.objects.filter(assignee=caseworker).count()
    theirs = Case.objects.filter(assignee=caseworker2).count()
    assert sorted([mine, theirs]) == [2, 3]


def test_a_case_that_is_not_the_leavers_refuses_the_whole_batch(
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
    north_case: Case,
) -> None:
    cases = leaver_cases(3)
    before = len(entries("case.assigned"))
    with pytest.raises(InvalidInput):
        hand_over([*[c.pk for c in cases], north_case.pk], [caseworker2], desk_lead, note=NOTE)
    assert Case.objects.filter(assignee=leaver).count() == 3
    assert len(entries("case.assigned")) == before


def test_a_receiver_who_cannot_work_the_desk_refuses_everything(
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    colleague: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    cases = leaver_cases(3)
    with pytest.raises(InvalidInput):
        hand_over([c.pk for c in cases], [colleague], desk_lead)
    assert Case.objects.filter(assignee=leaver).count() == 3


@pytest.mark.parametrize("persona", ["caseworker", "south_lead", "colleague"])
def test_only_a_lead_of_the_desk_hands_over(
    request: pytest.FixtureRequest,
    desk_north: Desk,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
    persona: str,
) -> None:
    cases = leaver_cases(2)
    with pytest.raises(NotAllowed):
        hand_over([c.pk for c in cases], [caseworker2], request.getfixturevalue(persona))
    assert Case.objects.filter(assignee=leaver).count() == 2


@pytest.mark.parametrize(
    ("receivers", "ids"),
    [("none", "all"), ("leaver", "all"), ("other", "none"), ("other", "bad")],
)
def test_bad_input_is_a_clear_refusal(
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
    receivers: str,
    ids: str,
) -> None:
    cases = leaver_cases(1)
    people = {"none": [], "leaver": [leaver], "other": [caseworker2]}[receivers]
    case_ids = {"all": [c.pk for c in cases], "none": [], "bad": ["not-a-uuid"]}[ids]
    with pytest.raises(CaseError):
        hand_over(case_ids, people, desk_lead)


def test_the_bulk_assignment_carries_the_note(
    caseworker: User, caseworker2: User, north_case: Case
) -> None:
    assignment.cases_assign_bulk(
        case_ids=[north_case.pk], assignee=caseworker2, actor=caseworker, note=NOTE
    )
    event = CaseEvent.objects.get(case=north_case, kind=CaseEvent.Kind.ASSIGNED)
    assert event.note == NOTE
