"""What the safety services share: locking, counting a check-in, alerts, mailbox due dates,
the system's own workflow moves and being back in contact."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.cases import rollups, workflow
from passage.cases.exceptions import CaseError
from passage.cases.models import Case, CaseEvent
from passage.cases.services import common as case_common
from passage.cases.services.workflow import case_transition, refusal_for
from passage.cases.workflow import Stage
from passage.intake.models import Mailbox, to_the_hour
from passage.safety import schedules
from passage.safety.models import CheckinSchedule, LostContactIncident

SYSTEM = "system"


def actor_of(actor: User | None) -> User | str:
    return actor if actor is not None else SYSTEM


def record(
    actor: User | None,
    action: str,
    case: Case,
    *,
    object_type: str = "case",
    object_id: object = None,
    request_id: str | None = None,
) -> None:
    """An audit entry (codes and ids only) for a safety action on ``case``."""
    case_common.record(
        actor_of(actor),
        action,
        case,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        request_id=request_id,
    )


def lock_schedule(case: Case) -> CheckinSchedule | None:
    return CheckinSchedule.objects.select_for_update().filter(case_id=case.pk).first()


def staying(case: Case) -> bool:
    return case.pk in schedules.cases_staying([case.pk])


def sync_mailboxes(case: Case, due: dt.datetime | None) -> None:
    """Show the person when to check in next (to the hour), in every mailbox of the case."""
    shown = to_the_hour(due) if due is not None else None
    Mailbox.objects.filter(request__case_id=case.pk).exclude(checkin_due_at=shown).update(
        checkin_due_at=shown
    )


def refresh_due(schedule: CheckinSchedule, case: Case) -> bool:
    """Recompute the schedule's due time (stage or stay may have changed); True if it moved."""
    due = schedules.due_at(schedule, case, staying=staying(case))
    moved = due != schedule.next_due_at
    if moved:
        schedule.next_due_at = due
        schedule.save(update_fields=["next_due_at"])
    sync_mailboxes(case, due)
    return moved


def count_checkin(schedule: CheckinSchedule, case: Case, at: dt.datetime) -> None:
    """A check-in that counts (the right word, the duress word, a logged contact): the clock
    restarts and the escalation of a missed one is over. The mailbox's next-due date moves the
    same way whatever the word was."""
    if schedule.last_checkin_at is None or at > schedule.last_checkin_at:
        schedule.last_checkin_at = at
    schedule.escalation_level = CheckinSchedule.Level.NONE
    schedule.caseworker_alerted_at = None
    schedule.lead_alerted_at = None
    schedule.save(
        update_fields=[
            "last_checkin_at",
            "escalation_level",
            "caseworker_alerted_at",
            "lead_alerted_at",
        ]
    )
    refresh_due(schedule, case)


def alert_caseworker(
    code: str, case: Case, *, severity: str, actor: User | None, now: dt.datetime | None = None
) -> None:
    """The case's assignee; with nobody assigned, the caseworkers of its desk."""
    if case.assignee_id is not None:
        target: dict[str, object] = {"target_user": case.assignee}
    else:
        target = {"target_role": Role.CASEWORKER, "target_desk": case.desk}
    alert_raise(
        code=code,
        severity=severity,
        case_reference=case.reference,
        object_type="case",
        object_id=str(case.pk),
        actor=actor_of(actor),
        now=now,
        **target,  # type: ignore[arg-type]
    )


def alert_role(
    code: str,
    case: Case,
    role: Role,
    *,
    severity: str,
    actor: User | None,
    desk: object = None,
    now: dt.datetime | None = None,
) -> None:
    """The holders of ``role`` on the case's desk (or on ``desk``)."""
    alert_raise(
        code=code,
        severity=severity,
        target_role=role,
        target_desk=desk or case.desk,  # type: ignore[arg-type]
        case_reference=case.reference,
        object_type="case",
        object_id=str(case.pk),
        actor=actor_of(actor),
        now=now,
    )


def system_move(case: Case, to_stage: Stage, *, reason: str, at: dt.datetime) -> bool:
    """Move a locked case as the system did it (no user acts in a periodic job).

    ``cases.services.workflow.case_transition`` needs a user who works the case; this applies
    the same table (``rule_for``) and the same refusals (``refusal_for``), writes the same
    timeline line and the same audit action with the actor ``system``. False when refused.
    """
    if refusal_for(case, to_stage) is not None:
        return False
    here = Stage(case.stage)
    rule = workflow.rule_for(here, to_stage)
    if rule is None:
        return False
    if rule.move is workflow.Move.PAUSE and here not in workflow.PAUSED:
        case.paused_from = here
    elif rule.move is not workflow.Move.PAUSE:
        case.paused_from = ""
    case.stage = to_stage
    case.stage_entered_at = at
    with rollups.tracking(case.pk):  # the report counts move with the stage, as in case_transition
        case.save(update_fields=["stage", "stage_entered_at", "paused_from"])
    case_common.event(
        case,
        CaseEvent.Kind.STAGE,
        actor=None,
        note=reason,
        detail=rule.move.value,
        from_stage=here,
        to_stage=to_stage,
        at=at,
    )
    case_common.record(SYSTEM, "case.stage_changed", case)
    return True


def back_in_contact(
    case: Case, *, at: dt.datetime, actor: User | None, note: str, request_id: str | None = None
) -> LostContactIncident | None:
    """Close the case's open lost-contact incident (if any) and resume the case where it was.

    A frozen case stays paused (a freeze blocks resuming until it is lifted); the incident is
    closed all the same and says so.
    """
    incident = (
        LostContactIncident.objects.select_for_update()
        .filter(case_id=case.pk, closed_at__isnull=True)
        .first()
    )
    if incident is None:
        return None
    locked = case_common.lock(case)
    resumed = ""
    if locked.stage == Stage.LOST_CONTACT and locked.paused_from:
        target = Stage(locked.paused_from)
        reason = _("Back in contact after a missed check-in.")
        if actor is not None:
            try:
                case_transition(
                    case=locked, to_stage=target, actor=actor, reason=reason, request_id=request_id
                )
                resumed = target
            except CaseError:
                resumed = ""
        elif system_move(locked, target, reason=reason, at=at):
            resumed = target
    incident.closed_at = at
    incident.closed_by = actor
    incident.resumed_to = resumed
    incident.close_note = note or None
    incident.save(update_fields=["closed_at", "closed_by", "resumed_to", "close_note"])
    record(
        actor,
        "safety.lost_contact_closed",
        locked,
        object_type="incident",
        object_id=incident.pk,
        request_id=request_id,
    )
    alert_caseworker(
        kinds.CONTACT_RESTORED, locked, severity=Alert.Severity.INFO, actor=actor, now=at
    )
    alert_role(
        kinds.CONTACT_RESTORED,
        locked,
        Role.DESK_LEAD,
        severity=Alert.Severity.INFO,
        actor=actor,
        now=at,
    )
    return incident


def now_or(moment: dt.datetime | None) -> dt.datetime:
    return moment or timezone.now()
