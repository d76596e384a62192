"""Audited reads of protected sections and the unusual-reading checks.

Audit entries cannot be back-dated (the trigger refuses UPDATE), so these tests write entries
through the real service now and then evaluate the checks at a later ``now``.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.accounts.services import reads
from passage.accounts.services.break_glass import break_glass_open
from passage.alerts import kinds
from passage.alerts import services as alerts
from passage.alerts.models import Alert
from passage.audit.models import AuditEntry
from passage.audit.verify import verify_log

pytestmark = pytest.mark.django_db

REASON = "Checking a possible duplicate of a referral"


def read(user: User, desk: Desk | None, *, case: uuid.UUID | None = None, **kw: object) -> object:
    return reads.protected_read_record(
        user=user,
        case_id=case or uuid.uuid4(),
        desk_id=desk.id if desk else None,
        section="person",
        **kw,  # type: ignore[arg-type]
    )


def test_a_read_writes_who_which_case_which_section(caseworker: User, desk_north: Desk) -> None:
    case = uuid.uuid4()
    assessment = reads.protected_read_record(
        user=caseworker, case_id=case, desk_id=desk_north.id, section="narrative", request_id="r1"
    )
    assert not assessment.unusual
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id, entry.request_id) == (
        f"user:{caseworker.pk}",
        "case.section_viewed.narrative",
        "case",
        str(case),
        "r1",
    )
    assert verify_log().ok


@pytest.mark.parametrize("section", ["", "Person", "person name", "x" * 41, "../etc"])
def test_a_section_must_be_a_code(caseworker: User, desk_north: Desk, section: str) -> None:
    with pytest.raises(ValueError, match="section"):
        reads.protected_read_record(
            user=caseworker, case_id=uuid.uuid4(), desk_id=desk_north.id, section=section
        )
    assert not AuditEntry.objects.exists()


def test_an_ordinary_busy_hour_on_ones_desk_raises_nothing(
    caseworker: User, desk_north: Desk
) -> None:
    cases = [uuid.uuid4() for _ in range(40)]
    for _round in range(3):
        for case in cases:
            assessment = alerts.protected_read(
                user=caseworker, case_id=case, desk_id=desk_north.id, section="summary"
            )
            assert not assessment.unusual, assessment.reasons
    # Assigned cases on another desk are ordinary work too.
    for _ in range(5):
        assert not read(caseworker, None, assignee_id=caseworker.id).unusual  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action__startswith="case.section_viewed.").count() == 125
    assert not Alert.objects.exists()


def test_many_break_glass_cases_in_an_hour_are_unusual(colleague: User, desk_north: Desk) -> None:
    cases = [uuid.uuid4() for _ in range(3)]
    for case in cases:
        break_glass_open(user=colleague, case_id=case, desk_id=desk_north.id, reason=REASON)
    first = reads.protected_read_record(
        user=colleague, case_id=cases[0], desk_id=desk_north.id, section="person"
    )
    second = reads.protected_read_record(
        user=colleague, case_id=cases[1], desk_id=desk_north.id, section="person"
    )
    # Reading more sections of the same cases does not make more foreign cases.
    again = reads.protected_read_record(
        user=colleague, case_id=cases[1], desk_id=desk_north.id, section="narrative"
    )
    third = reads.protected_read_record(
        user=colleague, case_id=cases[2], desk_id=desk_north.id, section="person"
    )
    assert not first.unusual and not second.unusual and not again.unusual
    assert third.reasons == (reads.FOREIGN_CASES,)
    # Two hours later the window has moved on.
    later = reads.reading_assess(
        user=colleague,
        case_id=cases[2],
        desk_id=desk_north.id,
        now=timezone.now() + dt.timedelta(hours=2),
    )
    assert reads.FOREIGN_CASES not in later.reasons


def test_cases_of_several_other_desks_are_unusual(colleague: User, desk_north: Desk) -> None:
    third_desk = Desk.objects.create(name="Central Asia")
    north_case, third_case = uuid.uuid4(), uuid.uuid4()
    break_glass_open(user=colleague, case_id=north_case, desk_id=desk_north.id, reason=REASON)
    break_glass_open(user=colleague, case_id=third_case, desk_id=third_desk.id, reason=REASON)
    assert not reads.protected_read_record(
        user=colleague, case_id=north_case, desk_id=desk_north.id, section="person"
    ).unusual
    assessment = reads.protected_read_record(
        user=colleague, case_id=third_case, desk_id=third_desk.id, section="person"
    )
    assert assessment.reasons == (reads.OTHER_DESKS,)


@override_settings(PASSAGE_READ_ALERT_MIN_HISTORY_DAYS=1)
def test_reading_at_an_hour_the_user_never_works_is_unusual(
    caseworker: User, desk_north: Desk
) -> None:
    for _ in range(3):
        read(caseworker, desk_north)
    start = timezone.now()
    tomorrow_same_hour = start + dt.timedelta(days=1)
    tomorrow_at_night = start + dt.timedelta(days=1, hours=7)

    usual = reads.reading_assess(
        user=caseworker, case_id=uuid.uuid4(), desk_id=desk_north.id, now=tomorrow_same_hour
    )
    odd = reads.reading_assess(
        user=caseworker, case_id=uuid.uuid4(), desk_id=desk_north.id, now=tomorrow_at_night
    )
    assert usual.reasons == ()
    assert odd.reasons == (reads.ODD_HOUR,)


def test_odd_hours_need_enough_history(caseworker: User, desk_north: Desk) -> None:
    read(caseworker, desk_north)
    odd_but_new = reads.reading_assess(
        user=caseworker,
        case_id=uuid.uuid4(),
        desk_id=desk_north.id,
        now=timezone.now() + dt.timedelta(days=1, hours=7),
    )
    assert odd_but_new.reasons == ()  # one day of history is not a pattern (default: 7)


def test_the_history_is_what_the_user_did_before_this_hour(
    caseworker: User, desk_north: Desk
) -> None:
    for _ in range(6):
        read(caseworker, desk_north)
    now = timezone.now()
    history = reads.reading_history(user=caseworker, now=now + dt.timedelta(hours=2))
    assert history.days == 1
    assert history.hours == frozenset({timezone.localtime(now).hour})
    assert history.usual_reads_per_hour == 6.0
    # The current hour is not history, and nothing older than 30 days is.
    assert reads.reading_history(user=caseworker, now=now).usual_reads_per_hour == 0.0
    old = reads.reading_history(user=caseworker, now=now + dt.timedelta(days=31))
    assert (old.days, old.hours, old.usual_reads_per_hour) == (0, frozenset(), 0.0)


@override_settings(PASSAGE_READ_ALERT_VOLUME_FACTOR=3, PASSAGE_READ_ALERT_VOLUME_FLOOR=10)
def test_the_volume_limit_is_a_multiple_of_usual_above_a_floor() -> None:
    assert reads.volume_limit(0.0) == 10
    assert reads.volume_limit(2.0) == 10
    assert reads.volume_limit(6.0) == 18


@override_settings(PASSAGE_READ_ALERT_VOLUME_FLOOR=10)
def test_a_jump_over_the_usual_volume_is_unusual(caseworker: User, desk_north: Desk) -> None:
    results = [read(caseworker, desk_north) for _ in range(11)]
    assert [r.reasons for r in results[:10]] == [()] * 10  # type: ignore[attr-defined]
    assert results[10].reasons == (reads.VOLUME,)  # type: ignore[attr-defined]


def test_unusual_reading_raises_one_admin_alert_per_hour(
    colleague: User, admin: User, desk_north: Desk
) -> None:
    cases = [uuid.uuid4() for _ in range(5)]
    for case in cases:
        break_glass_open(user=colleague, case_id=case, desk_id=desk_north.id, reason=REASON)
    outcomes = [
        alerts.protected_read(
            user=colleague, case_id=case, desk_id=desk_north.id, section="person"
        ).unusual
        for case in cases
    ]
    assert outcomes == [False, False, True, True, True]
    alert = Alert.objects.get(code=kinds.UNUSUAL_READING)
    assert (alert.target_role, alert.severity) == ("admin", Alert.Severity.WARNING)
    assert (alert.object_type, alert.object_id) == ("user", str(colleague.pk))
    assert alert.detail_codes == [reads.FOREIGN_CASES]
    assert alert.case_reference == ""  # the alert never lists the cases read


@override_settings(PASSAGE_READ_ALERT_MIN_HISTORY_DAYS=1)
def test_after_the_quiet_hour_a_new_alarm_is_raised(caseworker: User, desk_north: Desk) -> None:
    read(caseworker, desk_north)
    night = timezone.now() + dt.timedelta(days=1, hours=7)
    for minutes in (0, 30, 61):
        alerts.protected_read(
            user=caseworker,
            case_id=uuid.uuid4(),
            desk_id=desk_north.id,
            section="person",
            now=night + dt.timedelta(minutes=minutes),
        )
    first, second = Alert.objects.filter(code=kinds.UNUSUAL_READING).order_by("created_at")
    assert second.created_at - first.created_at == dt.timedelta(minutes=61)
    for alert in (first, second):
        assert alert.detail_codes == [reads.ODD_HOUR]
        assert alert.detail_labels == ["at an hour they never work"]


def test_a_readers_history_is_judged_once_an_hour_at_the_present(
    caseworker: User, colleague: User
) -> None:
    """History (30 days, the last hour excluded) is reused within the clock hour for reads
    judged now; a ``now`` chosen by a caller is always judged afresh."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    with CaptureQueriesContext(connection) as first:
        mine = reads.reading_history(user=caseworker, now=now)
    with CaptureQueriesContext(connection) as again:
        assert reads.reading_history(user=caseworker, now=now) == mine
    assert len(first.captured_queries) > 0
    assert len(again.captured_queries) == 0
    with CaptureQueriesContext(connection) as other:
        reads.reading_history(user=colleague, now=now)
    assert len(other.captured_queries) == len(first.captured_queries)
    later = now + dt.timedelta(hours=3)
    with CaptureQueriesContext(connection) as chosen:
        reads.reading_history(user=caseworker, now=later)
        reads.reading_history(user=caseworker, now=later)
    assert len(chosen.captured_queries) == 2 * len(first.captured_queries)
