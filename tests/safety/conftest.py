"""Fixtures for the safety tests: a case opened from a real help request (so it has a mailbox),
assigned to the North caseworker, with a mailbox session; logistics staff; a clock to drive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import assignment
from passage.cases.services.workflow import case_transition
from passage.cases.workflow import Stage
from passage.intake import sessions
from passage.intake.services import public, screening
from passage.safety.models import CheckinSchedule
from passage.safety.services import checkins
from tests.cases.conftest import partner_org, verifier  # noqa: F401 -- fixtures
from tests.intake.support import make_screener
from tests.personas import make_staff

CHECKIN_WORD = "sunflower"
DURESS_WORD = "umbrella"


@dataclass
class Person:
    """A person whose request became a case: their codename, mailbox session and case."""

    codename: str
    session: sessions.MailboxSession
    case: Case

    def fresh(self) -> Case:
        return Case.objects.select_related("desk", "assignee").get(pk=self.case.pk)


@pytest.fixture
def logistics(desk_north: Desk) -> User:
    return make_staff("logistics", Role.LOGISTICS, desks=(desk_north,))


@pytest.fixture
def intake_screener(desk_north: Desk) -> User:
    return make_screener(desk_north, username="intake-screener")


@pytest.fixture
def make_person(
    memstore: None, intake_screener: User, desk_north: Desk, caseworker: User
) -> Callable[[], Person]:
    """A person who sent the first step; the screener opened a case (in screening) from it,
    assigned to the North caseworker."""

    def make() -> Person:
        receipt = public.request_submit(country="RU", urgency="immediate", language="en")
        case = screening.request_open_case(
            request=receipt.request, actor=intake_screener, desk=desk_north
        )
        assignment.case_assign(case=case, assignee=caseworker, actor=caseworker)
        case_transition(case=case, to_stage=Stage.SCREENING, actor=caseworker)
        case = Case.objects.select_related("desk", "assignee").get(pk=case.pk)
        return Person(codename=receipt.codename, session=receipt.session, case=case)

    return make


@pytest.fixture
def person(make_person: Callable[[], Person]) -> Person:
    return make_person()


def started(person: Person, actor: User, at: dt.datetime, *, words: bool = True) -> CheckinSchedule:
    """Check-ins on for the person's case from ``at`` (with the two words agreed on a call)."""
    schedule = checkins.schedule_set(
        case=person.case, active=True, override_hours=None, actor=actor, now=at
    )
    if words:
        schedule = checkins.words_set(
            case=person.case,
            checkin_word=CHECKIN_WORD,
            duress_word=DURESS_WORD,
            actor=actor,
            now=at,
        )
    return CheckinSchedule.objects.get(pk=schedule.pk)


def hour(moment: dt.datetime | None = None) -> dt.datetime:
    return (moment or timezone.now()).replace(minute=0, second=0, microsecond=0)
