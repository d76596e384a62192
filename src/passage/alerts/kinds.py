"""The fixed registry of alert kinds: code, message and the detail codes an alert may carry.

Messages are gettext templates rendered when shown, in the reader's language; the only value
they take is a case reference. A new kind of alert is a new entry here, never free text.

Each kind carries a ``Policy`` (docs/alerts.md): its default severity (used when the caller of
``alert_raise`` names none), who is pushed outside the app when an alert of it is critical (the
first of ``told`` that reaches anyone: the desk's person on call, else its lead(s), else the
admins), and the escalation steps while a critical alert stays unacknowledged (15 minutes: the
desk lead(s); 30 minutes: the admins). Non-critical alerts are never pushed or escalated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Who may be told of a critical alert, by its desk (the alert's ``target_desk``).
ON_CALL = "on_call"  # whoever the desk's rota has on call at that moment
DESK_LEAD = "desk_lead"  # the lead(s) of the desk
ADMIN = "admin"  # every active admin


@dataclass(frozen=True)
class Escalation:
    """A push to ``to`` (``DESK_LEAD`` or ``ADMIN``) when a critical alert is still not
    acknowledged ``after`` its raising. Each step happens once per alert."""

    after: dt.timedelta
    to: str


STANDARD_ESCALATION = (
    Escalation(dt.timedelta(minutes=15), DESK_LEAD),
    Escalation(dt.timedelta(minutes=30), ADMIN),
)


@dataclass(frozen=True)
class Policy:
    """What happens to an alert of a kind beyond the alert list (docs/alerts.md).

    ``severity``: the default when the caller names none. ``told``: who is pushed when an alert
    is critical, in fallback order (the first level that reaches someone). ``escalation``: the
    steps while a critical alert is not acknowledged.
    """

    severity: str = "warning"
    told: tuple[str, ...] = (ON_CALL, DESK_LEAD, ADMIN)
    escalation: tuple[Escalation, ...] = STANDARD_ESCALATION


INFO = Policy(severity="info")
WARNING = Policy(severity="warning")
CRITICAL = Policy(severity="critical")


@dataclass(frozen=True)
class AlertKind:
    code: str
    message: Promise  # may use %(reference)s
    details: dict[str, Promise] = field(default_factory=dict)
    policy: Policy = WARNING


BREAK_GLASS = "access.break_glass"
UNUSUAL_READING = "access.unusual_reading"
SUSPECTED_HOSTILE = "case.suspected_hostile"
DUPLICATE_ACROSS_DESKS = "case.duplicate_across_desks"
APPROVAL_WAITING = "case.approval_waiting"
EMERGENCY_WAITING = "case.emergency_waiting"
EMERGENCY_REVIEW_OVERDUE = "case.emergency_review_overdue"
DESK_TRANSFER_REQUESTED = "case.desk_transfer_requested"
SAFEHOUSE_COMPROMISED = "safehouse.compromised"
ROUTE_COMPROMISED = "case.route_compromised"
DOCUMENT_EXPIRING = "case.document_expiring"
STIPEND_DUE = "case.stipend_due"
DRILL = "alerts.drill"
SETTLEMENT_FOLLOW_UP_DUE = "case.settlement_follow_up_due"
CHECKIN_MISSED = "safety.checkin_missed"
CHECKIN_MISSED_LEAD = "safety.checkin_missed_lead"
LOST_CONTACT = "safety.lost_contact"
CONTACT_RESTORED = "safety.contact_restored"
DURESS = "safety.duress"
COMPROMISE_REVIEW = "safety.compromise_review"
CHECKIN_WORD_UNKNOWN = "safety.checkin_word_unknown"
LOCKDOWN_PROPOSED = "lockdown.proposed"
KEY_DESTRUCTION_PROPOSED = "lockdown.key_destruction_proposed"
# A second admin must act within ten minutes (docs/lockdown.md): admins are told at once, and
# there is nothing to escalate to after that.
ADMINS_NOW = Policy(severity="critical", told=(ADMIN,), escalation=())

KINDS: dict[str, AlertKind] = {
    kind.code: kind
    for kind in (
        AlertKind(
            BREAK_GLASS,
            _("Break-glass access was opened to a case of another desk (%(reference)s)."),
        ),
        AlertKind(
            UNUSUAL_READING,
            _("A staff member's reading of protected case records looks unusual."),
            {
                "foreign_cases": _("many cases outside their desks and assignments"),
                "other_desks": _("cases of several other desks"),
                "odd_hour": _("at an hour they never work"),
                "volume": _("far more than their usual volume"),
            },
        ),
        AlertKind(
            SUSPECTED_HOSTILE,
            _(
                "Verification marked %(reference)s as suspected hostile: the case is frozen and "
                "hidden from partners."
            ),
            policy=CRITICAL,
        ),
        AlertKind(
            DUPLICATE_ACROSS_DESKS,
            _(
                "%(reference)s may be the same person as a case on another desk: compare with "
                "that desk's lead before sharing anything."
            ),
        ),
        AlertKind(
            APPROVAL_WAITING,
            _("A relocation approval for %(reference)s is waiting for a second person."),
        ),
        AlertKind(
            EMERGENCY_WAITING,
            _("Emergency help for %(reference)s is waiting for a second approval."),
        ),
        AlertKind(
            EMERGENCY_REVIEW_OVERDUE,
            _("Emergency help for %(reference)s was not reviewed within 72 hours."),
        ),
        AlertKind(
            DESK_TRANSFER_REQUESTED,
            _("%(reference)s is offered to your desk: accept or decline it on the workload page."),
        ),
        AlertKind(
            SAFEHOUSE_COMPROMISED,
            _(
                "A safe house where %(reference)s stays or is to stay was marked compromised: "
                "see the case's safe-house tab."
            ),
            policy=CRITICAL,
        ),
        AlertKind(
            ROUTE_COMPROMISED,
            _(
                "A route that %(reference)s uses or plans to use was marked compromised: "
                "review the travel plan."
            ),
            policy=CRITICAL,
        ),
        AlertKind(
            DOCUMENT_EXPIRING,
            _("A document of someone on %(reference)s expires soon: see the Documents tab."),
            {
                "in_60_days": _("document expires in 60 days or less"),
                "in_30_days": _("document expires in 30 days or less"),
                "in_7_days": _("document expires in 7 days or less"),
            },
        ),
        AlertKind(
            STIPEND_DUE,
            _("A monthly stipend of %(reference)s is due soon: see the Budget tab."),
        ),
        AlertKind(
            DRILL,
            _(
                "Drill: a test critical alert of the on-call rota. Acknowledge it: the time it "
                "took is recorded on the drills page."
            ),
            policy=CRITICAL,
        ),
        AlertKind(
            SETTLEMENT_FOLLOW_UP_DUE,
            _("A settlement follow-up of %(reference)s is due: see the Settlement tab."),
            {
                "months_1": _("the 1-month follow-up"),
                "months_3": _("the 3-month follow-up"),
                "months_6": _("the 6-month follow-up"),
                "months_12": _("the 12-month follow-up"),
            },
        ),
        AlertKind(
            CHECKIN_MISSED,
            _("%(reference)s missed a check-in: try to reach the person (Safety tab)."),
        ),
        AlertKind(
            CHECKIN_MISSED_LEAD,
            _(
                "%(reference)s missed a check-in and is still not in contact: check that "
                "someone is trying to reach the person."
            ),
        ),
        AlertKind(
            LOST_CONTACT,
            _(
                "Contact with %(reference)s is lost: the case was moved to “Lost contact” "
                "(Safety tab)."
            ),
            policy=CRITICAL,
        ),
        AlertKind(
            CONTACT_RESTORED,
            _("%(reference)s is back in contact: the lost-contact incident is closed."),
            policy=INFO,
        ),
        AlertKind(
            DURESS,
            _(
                "Duress signal on %(reference)s: the case is frozen. Confirm or dismiss it on "
                "the Safety tab; nothing changed on the person's side."
            ),
            policy=CRITICAL,
        ),
        AlertKind(
            COMPROMISE_REVIEW,
            _(
                "Duress signal on %(reference)s: review the safe house and route in use "
                "(Safety tab)."
            ),
            policy=CRITICAL,
        ),
        AlertKind(
            CHECKIN_WORD_UNKNOWN,
            _(
                "%(reference)s checked in with a word that is neither of theirs: people mix "
                "words up, but call them to be sure."
            ),
        ),
        AlertKind(
            LOCKDOWN_PROPOSED,
            _(
                "An emergency lockdown is proposed: a second admin must confirm it on the "
                "Lockdown page within ten minutes, or it lapses."
            ),
            policy=ADMINS_NOW,
        ),
        AlertKind(
            KEY_DESTRUCTION_PROPOSED,
            _(
                "Destroying this server's keys is proposed: a second admin must confirm it on "
                "the Lockdown page within ten minutes, or it lapses."
            ),
            policy=ADMINS_NOW,
        ),
    )
}


def policy_of(code: str) -> Policy:
    """The kind's policy (the default one for an unknown code)."""
    kind = KINDS.get(code)
    return kind.policy if kind else WARNING


def kind_of(code: str) -> AlertKind:
    """The registered kind; ``KeyError`` for an unknown code."""
    return KINDS[code]


def render_message(code: str, *, case_reference: str = "") -> str:
    kind = KINDS.get(code)
    if kind is None:
        return str(_("Alert of an unknown kind (%(code)s).") % {"code": code})
    reference = case_reference or str(_("no case"))
    return str(kind.message) % {"reference": reference}


def detail_labels(code: str, details: list[str]) -> list[str]:
    kind = KINDS.get(code)
    labels = kind.details if kind else {}
    return [str(labels.get(detail, detail)) for detail in details]
