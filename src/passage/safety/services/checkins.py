"""Check-ins: the schedule staff set, check-ins and words staff log after a call, and the
console side of the mailbox check-ins (opening the sealed rows the intake tier wrote).

Every mailbox check-in, whatever its word, is opened by ``checkins_open`` and handled by
``_mailbox_checkin``; only there, on the console side, does the word decide anything.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import uuid

from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.audit import services as audit
from passage.cases import access
from passage.cases.models import Case
from passage.crypto.exceptions import CryptoError
from passage.intake import checkins as sealed_words
from passage.intake.models import HelpRequest, MailboxCheckin, MailboxWords
from passage.safety import schedules
from passage.safety.exceptions import SafetyError
from passage.safety.models import CheckIn, CheckinSchedule
from passage.safety.services import common, duress

logger = logging.getLogger(__name__)
MAX_NOTE = 4000


def _schedule_for(case: Case, *, actor: User | None, at: dt.datetime) -> CheckinSchedule:
    """The case's schedule, locked; started now if it had none."""
    schedule = common.lock_schedule(case)
    if schedule is None:
        schedule = CheckinSchedule.objects.create(case=case, started_at=at, started_by=actor)
        common.record(
            actor, "safety.schedule_started", case, object_type="schedule", object_id=schedule.pk
        )
        schedule = common.lock_schedule(case) or schedule
    return schedule


def schedule_set(
    *,
    case: Case,
    active: bool,
    override_hours: int | None,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> CheckinSchedule:
    """Start, stop or change a case's check-ins. Starting (again) starts the clock now, so a
    case whose check-ins were off does not escalate at once."""
    access.require_working(actor, case)
    if override_hours is not None and not 1 <= override_hours <= schedules.MAX_OVERRIDE_HOURS:
        raise SafetyError(_("Choose between 1 and 720 hours, or leave it empty."))
    moment = common.now_or(now)
    with audit.atomic():
        schedule = _schedule_for(case, actor=actor, at=moment)
        if active and not schedule.active:
            schedule.started_at = moment
            schedule.started_by = actor
            schedule.escalation_level = CheckinSchedule.Level.NONE
            schedule.caseworker_alerted_at = None
            schedule.lead_alerted_at = None
        schedule.active = active
        schedule.override_hours = override_hours
        schedule.save()
        common.record(
            actor,
            "safety.schedule_set",
            case,
            object_type="schedule",
            object_id=schedule.pk,
            request_id=request_id,
        )
        common.refresh_due(schedule, case)
    return schedule


def _check_words(checkin_word: str, duress_word: str) -> tuple[str, str]:
    first = sealed_words.normalise(checkin_word)
    second = sealed_words.normalise(duress_word)
    for word in (first, second):
        if not sealed_words.MIN_WORD_CHARS <= len(word) <= sealed_words.MAX_WORD_CHARS:
            raise SafetyError(_("A word has 3 to 40 letters."))
    if first == second:
        raise SafetyError(_("Choose two different words."))
    return first, second


def _store_words(
    schedule: CheckinSchedule, first: str, second: str, via: str, at: dt.datetime
) -> None:
    schedule.checkin_word = first
    schedule.duress_word = second
    schedule.words_set_at = at
    schedule.words_set_via = via
    schedule.save(update_fields=["checkin_word", "duress_word", "words_set_at", "words_set_via"])


def words_set(
    *,
    case: Case,
    checkin_word: str,
    duress_word: str,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> CheckinSchedule:
    """Staff set the person's words after agreeing them on a call (encrypted; never shown)."""
    access.require_working(actor, case)
    first, second = _check_words(checkin_word, duress_word)
    moment = common.now_or(now)
    with audit.atomic():
        schedule = _schedule_for(case, actor=actor, at=moment)
        _store_words(schedule, first, second, CheckinSchedule.Via.STAFF, moment)
        common.record(
            actor,
            "safety.words_set",
            case,
            object_type="schedule",
            object_id=schedule.pk,
            request_id=request_id,
        )
        common.refresh_due(schedule, case)
    return schedule


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise SafetyError(_("The note is too long (at most 4,000 characters)."))
    return note


def checkin_log(
    *,
    case: Case,
    channel: str,
    note: str,
    actor: User,
    under_duress: bool = False,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> CheckIn:
    """Staff log a check-in after a call (channel, by whom, a note): the clock restarts and a
    lost-contact incident closes. ``under_duress``: the person was in contact under duress
    (the same effects as the duress word)."""
    access.require_working(actor, case)
    if channel not in CheckIn.Channel.values or channel == CheckIn.Channel.MAILBOX:
        raise SafetyError(_("Choose how you were in contact."))
    text = _note(note)
    moment = common.now_or(now)
    with audit.atomic():
        schedule = _schedule_for(case, actor=actor, at=moment)
        outcome = CheckIn.Outcome.DURESS if under_duress else CheckIn.Outcome.OK
        checkin = CheckIn.objects.create(
            case=case,
            at=moment,
            source=CheckIn.Source.STAFF,
            channel=channel,
            outcome=outcome,
            recorded_by=actor,
            note=text or None,
        )
        common.record(
            actor,
            "safety.checkin_logged",
            case,
            object_type="checkin",
            object_id=checkin.pk,
            request_id=request_id,
        )
        common.count_checkin(schedule, case, moment)
        if under_duress:
            duress.duress_raise(
                case=case, source="staff", actor=actor, at=moment, note=text, request_id=request_id
            )
        else:
            common.back_in_contact(case, at=moment, actor=actor, note=text, request_id=request_id)
    return checkin


# --- The console side of mailbox check-ins -----------------------------------------------------


def _same(typed: str, stored: str | None) -> bool:
    if not stored:
        return False
    return hmac.compare_digest(
        typed.encode("utf-8"), sealed_words.normalise(stored).encode("utf-8")
    )


def _case_of(mailbox_id: uuid.UUID) -> Case | None:
    request = (
        HelpRequest.objects.filter(mailbox_id=mailbox_id, case__isnull=False)
        .select_related("case")
        .first()
    )
    case = request.case if request is not None else None
    while case is not None and case.merged_into_id is not None:
        case = Case.objects.filter(pk=case.merged_into_id).first()
    return case


def _mailbox_checkin(case: Case, word: str, at: dt.datetime) -> CheckIn:
    """One opened mailbox check-in: compare the word and act (inside a transaction)."""
    schedule = common.lock_schedule(case)
    if schedule is None or not schedule.has_words:
        outcome = CheckIn.Outcome.NO_WORDS
    elif _same(word, schedule.duress_word):
        outcome = CheckIn.Outcome.DURESS
    elif _same(word, schedule.checkin_word):
        outcome = CheckIn.Outcome.OK
    else:
        outcome = CheckIn.Outcome.UNKNOWN_WORD
    checkin = CheckIn.objects.create(
        case=case,
        at=at,
        source=CheckIn.Source.MAILBOX,
        channel=CheckIn.Channel.MAILBOX,
        outcome=outcome,
    )
    common.record(
        None, "safety.checkin_received", case, object_type="checkin", object_id=checkin.pk
    )
    if outcome in CheckIn.COUNTED and schedule is not None:
        common.count_checkin(schedule, case, at)
    if outcome == CheckIn.Outcome.DURESS:
        duress.duress_raise(case=case, source="mailbox", actor=None, at=at)
    elif outcome == CheckIn.Outcome.UNKNOWN_WORD:
        common.alert_caseworker(
            kinds.CHECKIN_WORD_UNKNOWN, case, severity=Alert.Severity.WARNING, actor=None, now=at
        )
    else:
        common.back_in_contact(case, at=at, actor=None, note="")
    return checkin


def _open_checkins() -> int:
    done = 0
    for row in MailboxCheckin.objects.order_by("received_at").only(
        "id", "mailbox_id", "received_at", "sealed"
    ):
        try:
            word = sealed_words.open_word(bytes(row.sealed))
        except (CryptoError, ValueError) as exc:
            # Kept for the next run (a key not loaded yet); the class only, never the content.
            logger.error("A mailbox check-in could not be opened (%s)", type(exc).__name__)
            continue
        with audit.atomic():
            claimed, _rows = MailboxCheckin.objects.filter(pk=row.pk).delete()
            if not claimed:
                continue  # another run took it
            case = _case_of(row.mailbox_id)
            if case is None:
                audit.record(
                    actor="system",
                    action="safety.checkin_unmatched",
                    object_type="mailbox",
                    object_id=str(row.mailbox_id),
                )
            else:
                _mailbox_checkin(case, word, row.received_at)
        done += 1
    return done


def _open_words() -> int:
    done = 0
    for row in MailboxWords.objects.order_by("set_at").only("id", "mailbox_id", "set_at", "sealed"):
        case = _case_of(row.mailbox_id)
        if case is None:
            continue  # kept until the request becomes (or joins) a case
        try:
            first, second = sealed_words.open_words(bytes(row.sealed))
        except (CryptoError, ValueError) as exc:
            logger.error("Mailbox words could not be opened (%s)", type(exc).__name__)
            continue
        with audit.atomic():
            claimed, _rows = MailboxWords.objects.filter(pk=row.pk).delete()
            if not claimed:
                continue
            try:
                first, second = _check_words(first, second)
            except SafetyError:
                audit.record(
                    actor="system",
                    action="safety.words_refused",
                    object_type="case",
                    object_id=str(case.pk),
                )
                continue
            schedule = _schedule_for(case, actor=None, at=row.set_at)
            _store_words(schedule, first, second, CheckinSchedule.Via.MAILBOX, row.set_at)
            common.record(
                None, "safety.words_set", case, object_type="schedule", object_id=schedule.pk
            )
            common.refresh_due(schedule, case)
        done += 1
    return done


def checkins_open(*, now: dt.datetime | None = None) -> int:
    """Open the sealed words and check-ins the mailbox took (words first, so a person who
    chose words and then checked in is judged by them); returns how many were handled.
    Idempotent: each row is deleted in the transaction that acts on it."""
    del now  # the rows carry their own (hour-rounded) times
    return _open_words() + _open_checkins()
