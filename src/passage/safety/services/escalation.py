"""Lost-contact escalation: the periodic job that watches every case's check-in clock.

A missed check-in alerts the caseworker after the grace period (``PASSAGE_CHECKIN_GRACE_HOURS``),
the desk lead after twice the grace period, and after ``PASSAGE_LOST_CONTACT_HOURS`` moves the
case to "lost contact" with an incident record. Each step happens once per missed check-in:
the schedule's ``escalation_level`` is claimed under the row lock, and only a counted check-in
sets it back.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.audit import services as audit
from passage.cases.models import Case
from passage.cases.services import common as case_common
from passage.cases.workflow import Stage
from passage.casework.models import Contact
from passage.routes.models import TravelLeg
from passage.safehouses.models import Stay
from passage.safety import schedules
from passage.safety.models import CheckinSchedule, LostContactIncident
from passage.safety.services import common

Level = CheckinSchedule.Level


def last_known_place(case: Case, today: dt.date) -> str:
    """Where the person was last known to be, from the travel plan and the safe-house stay
    (stored encrypted in the incident)."""
    parts: list[str] = []
    stay = (
        Stay.objects.filter(case=case, cancelled_at__isnull=True, actual_from__isnull=False)
        .select_related("house")
        .order_by("-actual_from")
        .first()
    )
    if stay is not None:
        left = f", left {stay.actual_to.isoformat()}" if stay.actual_to else ""
        parts.append(f"Safe house {stay.house.code_name} (from {stay.start.isoformat()}{left})")
    leg = (
        TravelLeg.objects.filter(plan__case=case, departs_on__lte=today)
        .select_related("plan", "plan__route")
        .order_by("-departs_on", "-position")
        .first()
    )
    if leg is not None:
        route = leg.plan.route.code if leg.plan.route is not None else "-"
        text = (
            f"Travel leg {leg.position} ({leg.get_mode_display()}, {leg.get_status_display()}), "
            f"{leg.departs_on.isoformat()} to {leg.arrives_on.isoformat()}, route {route}"
        )
        if leg.meeting_point:
            text += f"; meeting point: {leg.meeting_point}"
        parts.append(text)
    return "\n".join(parts)


def _step(
    schedule: CheckinSchedule, case: Case, level: int, due: dt.datetime, at: dt.datetime
) -> None:
    if level == Level.CASEWORKER:
        common.alert_caseworker(
            kinds.CHECKIN_MISSED, case, severity=Alert.Severity.WARNING, actor=None, now=at
        )
        schedule.caseworker_alerted_at = at
    elif level == Level.DESK_LEAD:
        common.alert_role(
            kinds.CHECKIN_MISSED_LEAD,
            case,
            Role.DESK_LEAD,
            severity=Alert.Severity.WARNING,
            actor=None,
            now=at,
        )
        schedule.lead_alerted_at = at
    else:
        _lose_contact(schedule, case, due, at)
    schedule.escalation_level = level
    schedule.save(update_fields=["escalation_level", "caseworker_alerted_at", "lead_alerted_at"])
    common.record(
        None,
        f"safety.escalated.{Level(level).name.lower()}",
        case,
        object_type="schedule",
        object_id=schedule.pk,
    )


def _lose_contact(schedule: CheckinSchedule, case: Case, due: dt.datetime, at: dt.datetime) -> None:
    locked = case_common.lock(case)
    stage = Stage(locked.stage)
    moved = False
    if stage != Stage.LOST_CONTACT:
        moved = common.system_move(
            locked,
            Stage.LOST_CONTACT,
            reason=_("No check-in since it was due; moved automatically."),
            at=at,
        )
    if LostContactIncident.objects.filter(case=locked, closed_at__isnull=True).exists():
        return
    incident = LostContactIncident.objects.create(
        case=locked,
        opened_at=at,
        missed_due_at=due,
        last_checkin_at=schedule.last_checkin_at,
        last_known_stage=Stage(locked.paused_from) if moved and locked.paused_from else stage,
        moved_case=moved,
        caseworker=locked.assignee,
        caseworker_told_at=schedule.caseworker_alerted_at,
        lead_told_at=schedule.lead_alerted_at or at,
        place=last_known_place(locked, at.date()) or None,
    )
    common.record(
        None, "safety.lost_contact_opened", locked, object_type="incident", object_id=incident.pk
    )
    common.alert_role(
        kinds.LOST_CONTACT,
        locked,
        Role.DESK_LEAD,
        severity=Alert.Severity.CRITICAL,
        actor=None,
        now=at,
    )
    common.alert_caseworker(
        kinds.LOST_CONTACT, locked, severity=Alert.Severity.CRITICAL, actor=None, now=at
    )


def _incoming_contact_since(case: Case, moment: dt.datetime) -> Contact | None:
    """The first contact the person made with us (the contact log) after ``moment``."""
    return (
        Contact.objects.filter(
            case=case, direction=Contact.Direction.INCOMING, happened_at__gt=moment
        )
        .order_by("happened_at")
        .first()
    )


def _escalate_one(schedule_id: uuid.UUID, staying: bool, at: dt.datetime) -> int:
    with audit.atomic():
        schedule = (
            CheckinSchedule.objects.select_for_update(of=("self",))
            .select_related("case", "case__desk", "case__assignee")
            .filter(pk=schedule_id)
            .first()
        )
        if schedule is None:
            return 0
        case = schedule.case
        done = 0
        due = schedules.due_at(schedule, case, staying=staying)
        if due != schedule.next_due_at:
            schedule.next_due_at = due
            schedule.save(update_fields=["next_due_at"])
            done += 1
        common.sync_mailboxes(case, due)
        if due is None:
            return done
        incident = LostContactIncident.objects.filter(case=case, closed_at__isnull=True).first()
        if incident is not None:
            # Already lost: the incident stays open until contact comes back, by a check-in or
            # by the person contacting us on another channel (an incoming contact in the log).
            contact = _incoming_contact_since(case, incident.opened_at)
            if contact is None:
                return done
            common.back_in_contact(case, at=contact.happened_at, actor=None, note="")
            common.count_checkin(schedule, case, contact.happened_at)
            return done + 1
        target = schedules.level_due(at - due)
        for level in range(schedule.escalation_level + 1, target + 1):
            _step(schedule, case, level, due, at)
            done += 1
        return done


def checkins_escalate(*, now: dt.datetime | None = None) -> int:
    """The periodic job: refresh every due time, escalate missed check-ins. Returns how many
    changes it made (0 on a second run at the same time)."""
    at = common.now_or(now)
    rows = list(
        CheckinSchedule.objects.filter(case__merged_into__isnull=True)
        .exclude(active=False, next_due_at__isnull=True)
        .values_list("pk", "case_id")
    )
    staying = schedules.cases_staying(case_id for _pk, case_id in rows)
    return sum(_escalate_one(pk, case_id in staying, at) for pk, case_id in rows)
