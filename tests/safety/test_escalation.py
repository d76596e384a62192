"""Lost-contact escalation, clock driven: the caseworker after the grace period, the desk lead
after twice the grace period, "lost contact" with an incident after the limit; each once; and
coming back in contact (mailbox or staff) closes the incident and resumes the case."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import Settings

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.cases import rollups
from passage.cases.models import Case, CaseEvent
from passage.cases.services.duplicates import cases_merge
from passage.cases.workflow import Stage
from passage.casework.services import contacts
from passage.intake.models import Mailbox
from passage.intake.services import checkins as mailbox_checkins
from passage.routes.services import travel
from passage.safety import schedules
from passage.safety.models import CheckIn, CheckinSchedule, LostContactIncident
from passage.safety.services import checkins
from passage.safety.services.escalation import checkins_escalate
from tests.cases.helpers import raw_value
from tests.safety.conftest import CHECKIN_WORD, Person, hour, started

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _limits(settings: Settings) -> None:
    settings.PASSAGE_CHECKIN_GRACE_HOURS = 6
    settings.PASSAGE_LOST_CONTACT_HOURS = 72


def alerts(code: str) -> list[Alert]:
    return list(Alert.objects.filter(code=code).order_by("created_at"))


def test_the_interval_follows_the_stage_and_the_override(person: Person, caseworker: User) -> None:
    t0 = hour() - dt.timedelta(days=10)
    schedule = started(person, caseworker, t0)
    case = person.fresh()
    assert schedules.interval_hours(schedule, case, staying=False) == schedules.WAITING_HOURS
    assert schedules.interval_hours(schedule, case, staying=True) == schedules.SAFE_HOUSE_HOURS
    case.stage = Stage.IN_TRANSIT
    assert schedules.interval_hours(schedule, case, staying=True) == schedules.IN_TRANSIT_HOURS
    case.stage = Stage.CLOSED
    assert schedules.interval_hours(schedule, case, staying=False) is None
    checkins.schedule_set(
        case=person.case, active=True, override_hours=12, actor=caseworker, now=t0
    )
    schedule = CheckinSchedule.objects.get(case=person.case)
    assert schedule.next_due_at == t0 + 12 * H
    # The person's mailbox shows it, to the hour.
    assert Mailbox.objects.get(request__case=person.case).checkin_due_at == t0 + 12 * H


def test_a_missed_checkin_escalates_at_the_right_times(
    person: Person, caseworker: User, desk_lead: User
) -> None:
    t0 = hour() - dt.timedelta(days=30)
    schedule = started(person, caseworker, t0)
    due = schedule.next_due_at
    assert due == t0 + schedules.WAITING_HOURS * H
    stage_before = person.fresh().stage

    assert checkins_escalate(now=due + 6 * H - M) == 0
    assert alerts(kinds.CHECKIN_MISSED) == []

    assert checkins_escalate(now=due + 6 * H + M) == 1
    [missed] = alerts(kinds.CHECKIN_MISSED)
    assert missed.target_user_id == caseworker.pk and missed.severity == Alert.Severity.WARNING
    assert missed.case_reference == person.case.reference
    assert checkins_escalate(now=due + 6 * H + 2 * M) == 0  # once

    assert checkins_escalate(now=due + 12 * H - M) == 0
    assert alerts(kinds.CHECKIN_MISSED_LEAD) == []
    assert checkins_escalate(now=due + 12 * H + M) == 1
    [lead] = alerts(kinds.CHECKIN_MISSED_LEAD)
    assert (lead.target_role, lead.target_desk_id) == ("desk_lead", person.case.desk_id)
    assert checkins_escalate(now=due + 12 * H + M) == 0

    assert checkins_escalate(now=due + 72 * H - M) == 0
    assert person.fresh().stage == stage_before
    assert checkins_escalate(now=due + 72 * H) == 1
    case = person.fresh()
    assert case.stage == Stage.LOST_CONTACT and case.paused_from == stage_before
    [incident] = LostContactIncident.objects.filter(case=case)
    assert incident.is_open and incident.moved_case
    assert incident.last_known_stage == stage_before
    assert incident.missed_due_at == due
    assert incident.caseworker == caseworker
    assert incident.caseworker_told_at == due + 6 * H + M
    assert incident.lead_told_at == due + 12 * H + M
    lost = alerts(kinds.LOST_CONTACT)
    assert {a.severity for a in lost} == {Alert.Severity.CRITICAL}
    assert {(a.target_role, a.target_user_id) for a in lost} == {
        ("desk_lead", None),
        ("", caseworker.pk),
    }
    [move] = CaseEvent.objects.filter(case=case, to_stage=Stage.LOST_CONTACT)
    assert (move.kind, move.detail, move.actor, move.at) == ("stage", "pause", None, due + 72 * H)
    # Idempotent: nothing more, however often it runs.
    assert checkins_escalate(now=due + 200 * H) == 0
    assert len(alerts(kinds.LOST_CONTACT)) == 2


def test_a_late_first_run_does_every_step_once(person: Person, caseworker: User) -> None:
    t0 = hour() - dt.timedelta(days=30)
    due = started(person, caseworker, t0).next_due_at
    assert due is not None
    assert checkins_escalate(now=due + 100 * H) == 3
    assert len(alerts(kinds.CHECKIN_MISSED)) == 1
    assert len(alerts(kinds.CHECKIN_MISSED_LEAD)) == 1
    assert LostContactIncident.objects.filter(case=person.case).count() == 1
    assert checkins_escalate(now=due + 100 * H) == 0


def test_a_checkin_from_the_mailbox_closes_the_incident_and_resumes(
    person: Person, caseworker: User
) -> None:
    t0 = hour() - dt.timedelta(days=30)
    due = started(person, caseworker, t0).next_due_at
    assert due is not None
    stage_before = person.fresh().stage
    checkins_escalate(now=due + 80 * H)
    assert person.fresh().stage == Stage.LOST_CONTACT

    # The report counts follow the system's move (rollups kept in the same transaction).
    assert rollups.agrees(rollups.from_scratch())

    mailbox_checkins.checkin_submit(session=person.session, word=CHECKIN_WORD)
    assert checkins.checkins_open() == 1

    case = person.fresh()
    assert case.stage == stage_before and case.paused_from == ""
    assert rollups.agrees(rollups.from_scratch())
    [incident] = LostContactIncident.objects.filter(case=case)
    assert not incident.is_open and incident.resumed_to == stage_before
    assert incident.closed_by is None
    assert alerts(kinds.CONTACT_RESTORED)
    schedule = CheckinSchedule.objects.get(case=case)
    assert schedule.escalation_level == CheckinSchedule.Level.NONE
    assert schedule.next_due_at is not None and schedule.next_due_at > due + 80 * H
    assert CheckIn.objects.get(case=case).outcome == CheckIn.Outcome.OK
    # A new clock: the next miss escalates again, from the start.
    assert checkins_escalate(now=schedule.next_due_at + 6 * H + M) == 1
    assert len(alerts(kinds.CHECKIN_MISSED)) == 2


def test_the_person_contacting_us_on_another_channel_closes_the_incident(
    person: Person, caseworker: User
) -> None:
    t0 = hour() - dt.timedelta(days=30)
    due = started(person, caseworker, t0).next_due_at
    assert due is not None
    stage_before = person.fresh().stage
    checkins_escalate(now=due + 80 * H)
    assert person.fresh().stage == Stage.LOST_CONTACT
    # We tried to reach them: that alone is not contact.
    contacts.contact_log(
        case=person.fresh(),
        actor=caseworker,
        channel="signal",
        direction="outgoing",
        summary="Sent a message, no answer.",
        happened_at=due + 81 * H,
    )
    checkins_escalate(now=due + 82 * H)
    assert LostContactIncident.objects.get(case=person.case).is_open
    # They wrote to us on Signal.
    contacts.contact_log(
        case=person.fresh(),
        actor=caseworker,
        channel="signal",
        direction="incoming",
        summary="They wrote: all fine, phone was off.",
        happened_at=due + 83 * H,
    )
    assert checkins_escalate(now=due + 84 * H) >= 1
    [incident] = LostContactIncident.objects.filter(case=person.case)
    assert not incident.is_open and incident.resumed_to == stage_before
    case = person.fresh()
    assert case.stage == stage_before
    schedule = CheckinSchedule.objects.get(case=case)
    assert schedule.escalation_level == CheckinSchedule.Level.NONE
    assert schedule.last_checkin_at == due + 83 * H
    assert checkins_escalate(now=due + 84 * H) == 0  # idempotent


def test_a_checkin_logged_by_staff_closes_the_incident_with_notes(
    person: Person, caseworker: User
) -> None:
    t0 = hour() - dt.timedelta(days=30)
    due = started(person, caseworker, t0).next_due_at
    assert due is not None
    stage_before = person.fresh().stage
    checkins_escalate(now=due + 80 * H)

    checkins.checkin_log(
        case=person.fresh(),
        channel="signal",
        note="Phone was confiscated, now safe.",
        actor=caseworker,
    )

    case = person.fresh()
    assert case.stage == stage_before
    incident = LostContactIncident.objects.get(case=case)
    assert (
        incident.closed_by == caseworker
        and incident.close_note == "Phone was confiscated, now safe."
    )
    logged = CheckIn.objects.get(case=case)
    assert (logged.source, logged.channel, logged.recorded_by) == ("staff", "signal", caseworker)


def test_stopped_checkins_do_not_escalate(person: Person, caseworker: User) -> None:
    t0 = hour() - dt.timedelta(days=30)
    due = started(person, caseworker, t0).next_due_at
    assert due is not None
    checkins.schedule_set(case=person.case, active=False, override_hours=None, actor=caseworker)
    assert checkins_escalate(now=due + 100 * H) == 0
    assert Mailbox.objects.get(request__case=person.case).checkin_due_at is None
    assert person.fresh().stage != Stage.LOST_CONTACT


def test_an_ended_case_has_no_checkins(person: Person, caseworker: User) -> None:
    t0 = hour() - dt.timedelta(days=30)
    due = started(person, caseworker, t0).next_due_at
    assert due is not None
    Case.objects.filter(pk=person.case.pk).update(stage=Stage.CLOSED)
    assert checkins_escalate(now=due + 100 * H) == 1  # the due time is cleared, nothing else
    assert CheckinSchedule.objects.get(case=person.case).next_due_at is None
    assert Alert.objects.filter(code__startswith="safety.").count() == 0


def test_the_incident_keeps_the_last_known_place_encrypted(
    person: Person, caseworker: User, logistics: User
) -> None:
    t0 = hour() - dt.timedelta(days=30)
    plan = travel.travel_plan_create(case=person.fresh(), actor=logistics)
    travel.travel_leg_add(
        plan=plan,
        actor=logistics,
        details=travel.TravelLegDetails(
            departs_on=t0.date(),
            arrives_on=t0.date() + dt.timedelta(days=1),
            mode="other",
            meeting_point="Marker-Bus-Station platform 4",
        ),
    )
    due = started(person, caseworker, t0).next_due_at
    assert due is not None
    checkins_escalate(now=due + 80 * H)
    incident = LostContactIncident.objects.get(case=person.case)
    assert "Marker-Bus-Station platform 4" in (incident.place or "")
    raw = raw_value("safety_lostcontactincident", "place", incident.pk)
    assert isinstance(raw, bytes) and b"Marker-Bus" not in raw


def test_merging_two_cases_with_checkins_keeps_one_schedule(
    make_person: object, caseworker: User
) -> None:
    keep, gone = make_person(), make_person()  # type: ignore[operator]
    started(keep, caseworker, hour())
    started(gone, caseworker, hour())
    checkins.checkin_log(case=gone.fresh(), channel="phone", note="", actor=caseworker)
    cases_merge(survivor=keep.fresh(), merged=gone.fresh(), actor=caseworker)
    assert CheckinSchedule.objects.filter(case=keep.case).count() == 1
    assert CheckIn.objects.filter(case=keep.case).count() == 1  # the check-in moved
    assert checkins_escalate(now=hour() + dt.timedelta(days=30)) >= 1
