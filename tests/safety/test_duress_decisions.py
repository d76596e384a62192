"""After a duress signal: the compromise review names the safe house and route in use and
alerts logistics; staff confirm (the case stays frozen) or dismiss with an encrypted reason
(unfreezes); staff record contact under duress; a review is closed by logistics or the lead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.cases.models import Case
from passage.intake.services import checkins as mailbox_checkins
from passage.routes.services import routes, travel
from passage.safehouses import services as safehouses
from passage.safety.exceptions import SafetyError
from passage.safety.models import CheckIn, CompromiseReview, DuressEvent
from passage.safety.services import checkins, duress
from tests.cases.helpers import raw_value, verify
from tests.safety.conftest import DURESS_WORD, Person, hour, started

pytestmark = pytest.mark.django_db

REASON = "Called on Signal with the contact phrase: a mix-up, they are safe."


def signal(person: Person) -> DuressEvent:
    mailbox_checkins.checkin_submit(session=person.session, word=DURESS_WORD)
    checkins.checkins_open()
    return DuressEvent.objects.get(case=person.case)


@pytest.fixture
def placed(person: Person, caseworker: User, logistics: User, verifier: User) -> Person:
    """The person's case, verified, staying in safe house "Birch", on route "Rowan"."""
    verify(person.fresh(), verifier)
    house = safehouses.safehouse_create(
        actor=logistics,
        desk=person.case.desk,
        code_name="Birch",
        region="Moscow oblast",
        beds=4,
        address="ulitsa 1",
        contact="aunt",
        rules="none",
    )
    today = timezone.localdate()
    stay = safehouses.stay_place(
        case=person.fresh(),
        house=house,
        actor=logistics,
        planned_from=today,
        planned_to=today + dt.timedelta(days=5),
    )
    safehouses.stay_arrive(stay=stay, actor=logistics, on=today)
    route = routes.route_create(desk=person.case.desk, actor=logistics, code="Rowan")
    travel.travel_plan_create(case=person.fresh(), actor=logistics, route=route)
    started(person, caseworker, hour() - dt.timedelta(hours=2))
    return person


def test_the_review_names_the_house_and_route_and_alerts_logistics(placed: Person) -> None:
    event = signal(placed)
    [review] = CompromiseReview.objects.filter(case=placed.case)
    assert review.duress == event and review.state == CompromiseReview.State.OPEN
    assert review.safehouse is not None and review.safehouse.code_name == "Birch"
    assert review.route is not None and review.route.code == "Rowan"
    targets = {
        (a.target_role, a.target_desk_id)
        for a in Alert.objects.filter(code=kinds.COMPROMISE_REVIEW)
    }
    assert targets == {("logistics", placed.case.desk_id), ("desk_lead", placed.case.desk_id)}
    # A second signal adds an event and an alert, not a second open review.
    signal_again = mailbox_checkins.checkin_submit(session=placed.session, word=DURESS_WORD)
    assert signal_again is None
    checkins.checkins_open()
    assert DuressEvent.objects.filter(case=placed.case).count() == 2
    assert CompromiseReview.objects.filter(case=placed.case).count() == 1


def test_confirming_keeps_the_case_frozen(placed: Person, caseworker: User) -> None:
    event = signal(placed)
    duress.duress_decide(event=event, confirm=True, reason=REASON, actor=caseworker)
    assert DuressEvent.objects.get(pk=event.pk).state == DuressEvent.State.CONFIRMED
    assert placed.fresh().frozen_reason == Case.Freeze.DURESS
    with pytest.raises(SafetyError):
        duress.duress_decide(event=event, confirm=True, reason=REASON, actor=caseworker)


def test_dismissing_unfreezes_with_an_encrypted_reason(placed: Person, caseworker: User) -> None:
    event = signal(placed)
    with pytest.raises(SafetyError):
        duress.duress_decide(event=event, confirm=False, reason="mix-up", actor=caseworker)
    duress.duress_decide(event=event, confirm=False, reason=REASON, actor=caseworker)
    stored = DuressEvent.objects.get(pk=event.pk)
    assert stored.state == DuressEvent.State.DISMISSED and stored.decision_note == REASON
    raw = raw_value("safety_duressevent", "decision_note", event.pk)
    assert isinstance(raw, bytes) and b"Signal" not in raw
    case = placed.fresh()
    assert not case.is_frozen and case.frozen_reason == ""
    review = CompromiseReview.objects.get(case=case)
    assert (review.state, review.outcome) == ("closed", CompromiseReview.Outcome.FALSE_ALARM)


def test_a_suspected_hostile_freeze_is_left_alone(person: Person, caseworker: User) -> None:
    started(person, caseworker, hour())
    Case.objects.filter(pk=person.case.pk).update(
        frozen_at=timezone.now(), frozen_reason=Case.Freeze.SUSPECTED_HOSTILE
    )
    event = signal(person)
    assert not event.froze_case
    duress.duress_decide(event=event, confirm=False, reason=REASON, actor=caseworker)
    assert person.fresh().frozen_reason == Case.Freeze.SUSPECTED_HOSTILE


def test_staff_record_contact_under_duress(person: Person, caseworker: User) -> None:
    started(person, caseworker, hour())
    checkins.checkin_log(
        case=person.fresh(),
        channel="phone",
        note="Someone was prompting them.",
        actor=caseworker,
        under_duress=True,
    )
    event = DuressEvent.objects.get(case=person.case)
    assert (event.source, event.recorded_by, event.note) == (
        "staff",
        caseworker,
        "Someone was prompting them.",
    )
    assert CheckIn.objects.get(case=person.case).outcome == CheckIn.Outcome.DURESS
    assert person.fresh().frozen_reason == Case.Freeze.DURESS
    assert Alert.objects.filter(code=kinds.DURESS, severity="critical").exists()


def test_a_review_is_closed_by_logistics_not_by_the_caseworker(
    placed: Person, caseworker: User, logistics: User
) -> None:
    signal(placed)
    review = CompromiseReview.objects.get(case=placed.case)
    with pytest.raises(SafetyError):
        duress.review_close(
            review=review, outcome="cleared", note="Checked the house.", actor=caseworker
        )
    duress.review_close(
        review=review, outcome="cleared", note="Called the host, nobody asked.", actor=logistics
    )
    closed = CompromiseReview.objects.get(pk=review.pk)
    assert (closed.state, closed.outcome, closed.closed_by) == ("closed", "cleared", logistics)
    # The caseworker and logistics keep access to the frozen case; the case stays frozen.
    assert placed.fresh().is_frozen
