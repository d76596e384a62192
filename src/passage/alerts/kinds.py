"""The fixed registry of alert kinds: code, message and the detail codes an alert may carry.

Messages are gettext templates rendered when shown, in the reader's language; the only value
they take is a case reference. A new kind of alert is a new entry here, never free text. Later
issues attach escalation and notification policy to these entries (who is told, after how long).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AlertKind:
    code: str
    message: Promise  # may use %(reference)s
    details: dict[str, Promise] = field(default_factory=dict)


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
        ),
        AlertKind(
            ROUTE_COMPROMISED,
            _(
                "A route that %(reference)s uses or plans to use was marked compromised: "
                "review the travel plan."
            ),
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
    )
}


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
