"""The case workflow: stages and the one declared table of allowed transitions.

Main line: new -> screening -> verification -> assessment -> approved -> relocation planning ->
in transit -> arrived -> settlement -> closed. Side states (on hold, declined, referred out, lost
contact) remember the main stage they left (``Case.paused_from``) so a case can resume there.
Real cases go backwards (a refused visa sends a case back to planning): a backward move is
allowed to any earlier main stage from screening on, always with a reason.

``rule_for(from, to)`` is the only place that says whether a move is allowed; the service
(``services.workflow.case_transition``) adds the checks that need the case's data (verification,
four-eyes approval, freezing) and writes the timeline and audit entries.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    NEW = "new", _("New")
    SCREENING = "screening", _("Screening")
    VERIFICATION = "verification", _("Verification")
    ASSESSMENT = "assessment", _("Assessment")
    APPROVED = "approved", _("Approved")
    PLANNING = "planning", _("Relocation planning")
    IN_TRANSIT = "in_transit", _("In transit")
    ARRIVED = "arrived", _("Arrived")
    SETTLEMENT = "settlement", _("Settlement")
    CLOSED = "closed", _("Closed")
    # Side states
    ON_HOLD = "on_hold", _("On hold")
    DECLINED = "declined", _("Declined")
    REFERRED_OUT = "referred_out", _("Referred out")
    LOST_CONTACT = "lost_contact", _("Lost contact")


MAIN_LINE: tuple[Stage, ...] = (
    Stage.NEW,
    Stage.SCREENING,
    Stage.VERIFICATION,
    Stage.ASSESSMENT,
    Stage.APPROVED,
    Stage.PLANNING,
    Stage.IN_TRANSIT,
    Stage.ARRIVED,
    Stage.SETTLEMENT,
    Stage.CLOSED,
)
PAUSED: frozenset[Stage] = frozenset({Stage.ON_HOLD, Stage.LOST_CONTACT})
ENDED: frozenset[Stage] = frozenset({Stage.CLOSED, Stage.DECLINED, Stage.REFERRED_OUT})
OPEN_STAGES: tuple[str, ...] = tuple(s.value for s in Stage if s not in ENDED)
# Stages from which a case may be paused, declined or referred out.
ACTIVE_MAIN: tuple[Stage, ...] = MAIN_LINE[:-1]


def position(stage: Stage | str) -> int:
    """Index on the main line; side states have none (-1)."""
    try:
        return MAIN_LINE.index(Stage(stage))
    except ValueError:
        return -1


class Move(enum.Enum):
    FORWARD = "forward"
    BACKWARD = "backward"
    PAUSE = "pause"  # to on hold or lost contact
    RESUME = "resume"  # from a pause, back to the stage it left (or earlier)
    END = "end"  # declined, referred out, closed
    REOPEN = "reopen"  # from declined / referred out / closed back to screening


@dataclass(frozen=True)
class Rule:
    move: Move
    reason_required: bool
    # Only through four-eyes approval (services.approvals), never a plain transition.
    needs_approval: bool = False
    needs_verified: bool = False


def _table() -> dict[tuple[Stage, Stage], Rule]:
    table: dict[tuple[Stage, Stage], Rule] = {}
    for here, there in itertools.pairwise(MAIN_LINE):
        table[(here, there)] = Rule(
            Move.END if there is Stage.CLOSED else Move.FORWARD,
            reason_required=there is Stage.CLOSED,
            needs_approval=there is Stage.APPROVED,
            needs_verified=there is Stage.APPROVED,
        )
    for i, here in enumerate(MAIN_LINE[2:-1], start=2):
        for there in MAIN_LINE[1:i]:
            table[(here, there)] = Rule(Move.BACKWARD, reason_required=True)
    for here in ACTIVE_MAIN:
        table[(here, Stage.ON_HOLD)] = Rule(Move.PAUSE, reason_required=True)
        table[(here, Stage.LOST_CONTACT)] = Rule(Move.PAUSE, reason_required=False)
        table[(here, Stage.DECLINED)] = Rule(Move.END, reason_required=True)
        table[(here, Stage.REFERRED_OUT)] = Rule(Move.END, reason_required=True)
        table[(here, Stage.CLOSED)] = Rule(Move.END, reason_required=True)
    for paused in PAUSED:
        # Resuming goes back to the stage the case left, or earlier (checked by the service).
        for there in MAIN_LINE[1:-1]:
            table[(paused, there)] = Rule(Move.RESUME, reason_required=False)
        table[(paused, Stage.DECLINED)] = Rule(Move.END, reason_required=True)
        table[(paused, Stage.REFERRED_OUT)] = Rule(Move.END, reason_required=True)
        table[(paused, Stage.CLOSED)] = Rule(Move.END, reason_required=True)
    table[(Stage.ON_HOLD, Stage.LOST_CONTACT)] = Rule(Move.PAUSE, reason_required=False)
    table[(Stage.LOST_CONTACT, Stage.ON_HOLD)] = Rule(Move.PAUSE, reason_required=True)
    for ended in ENDED:
        table[(ended, Stage.SCREENING)] = Rule(Move.REOPEN, reason_required=True)
    return table


TRANSITIONS: dict[tuple[Stage, Stage], Rule] = _table()


def rule_for(here: Stage | str, there: Stage | str) -> Rule | None:
    """The rule for moving from ``here`` to ``there``, or None when the move is not allowed."""
    try:
        return TRANSITIONS.get((Stage(here), Stage(there)))
    except ValueError:
        return None


def targets_from(here: Stage | str) -> list[Stage]:
    """Every stage a case in ``here`` may be moved to (in the table's order)."""
    return [there for (start, there) in TRANSITIONS if start == Stage(here)]


def is_open(stage: Stage | str) -> bool:
    return Stage(stage) not in ENDED
