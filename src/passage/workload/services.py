"""Workload writes: a leaver's handover, and handing a case over to another desk.

Every function takes the acting user, checks what it needs itself (views check too), and runs in
one ``audit.atomic()`` transaction with its audit entries. Reassignment is
``cases.services.assignment.cases_assign_bulk`` (one ``case.assigned`` entry and one timeline
entry per case, the note encrypted under each case's key); moving a case is
``cases.services.desks.case_desk_move``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import assignment, common
from passage.cases.services.desks import case_desk_move, leads_desk
from passage.cases.workflow import OPEN_STAGES
from passage.workload.models import DeskTransfer

MAX_NOTE = 4000


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("Keep the note under 4000 characters."))
    return note


def _require_lead(actor: User, desk: Desk) -> None:
    if not leads_desk(actor, desk.pk):
        raise NotAllowed(_("Only a lead of this desk can do this."))


def handover_plan(
    cases: Sequence[Case], receivers: Sequence[User]
) -> list[tuple[User, list[Case]]]:
    """Deal ``cases`` (most urgent first) to ``receivers`` in turn, so each gets an even share
    of the urgent ones as well as of the rest."""
    ordered = sorted(cases, key=lambda c: (-c.priority_level, -c.priority_score, c.opened_at))
    shares: list[tuple[User, list[Case]]] = [(r, []) for r in receivers]
    for i, case in enumerate(ordered):
        shares[i % len(shares)][1].append(case)
    return [(r, given) for r, given in shares if given]


def handover(
    *,
    desk: Desk,
    leaver: User,
    case_ids: Iterable[uuid.UUID | str],
    receivers: Sequence[User],
    note: str,
    actor: User,
    request_id: str | None = None,
) -> int:
    """Give the chosen open cases of ``leaver`` on ``desk`` to ``receivers`` (several: dealt in
    turn), all in one transaction, each with the handover note. Returns how many moved.

    Only a lead of ``desk``; every case must still be one of ``leaver``'s open cases there.
    """
    _require_lead(actor, desk)
    note = _note(note)
    receivers = list({r.pk: r for r in receivers}.values())
    if not receivers:
        raise InvalidInput(_("Choose who receives the cases."))
    if any(r.pk == leaver.pk for r in receivers):
        raise InvalidInput(_("The cases cannot be handed over to the person leaving them."))
    wanted = list(dict.fromkeys(str(i) for i in case_ids))
    if not wanted:
        raise InvalidInput(_("Choose at least one case."))
    if len(wanted) > assignment.MAX_BULK:
        raise InvalidInput(_("Hand over at most 500 cases at once."))
    try:
        ids = [uuid.UUID(i) for i in wanted]
    except ValueError:
        raise CaseNotFound(_("No such case.")) from None
    with audit.atomic():
        cases = list(
            Case.objects.filter(pk__in=ids, desk=desk, assignee=leaver, stage__in=OPEN_STAGES)
        )
        if len(cases) != len(ids):
            raise InvalidInput(
                _("Some of the chosen cases are no longer theirs: reload the page and try again.")
            )
        moved = 0
        for receiver, given in handover_plan(cases, receivers):
            moved += assignment.cases_assign_bulk(
                case_ids=[c.pk for c in given],
                assignee=receiver,
                actor=actor,
                note=note,
                request_id=request_id,
            )
        audit.record(
            actor=common.actor_of(actor),
            action="workload.handover",
            object_type="user",
            object_id=str(leaver.pk),
            request_id=request_id,
        )
    return moved


# --- Handing a case over to another desk -----------------------------------------------------


def _locked(transfer: DeskTransfer) -> DeskTransfer:
    found = (
        DeskTransfer.objects.select_for_update(of=("self",))
        .select_related("case", "to_desk", "from_desk")
        .get(pk=transfer.pk)
    )
    if found.status != DeskTransfer.Status.REQUESTED:
        raise InvalidInput(_("This hand-over was decided already."))
    return found


def _record(actor: User, action: str, transfer: DeskTransfer, request_id: str | None) -> None:
    audit.record(
        actor=common.actor_of(actor),
        action=action,
        object_type="desk_transfer",
        object_id=str(transfer.pk),
        request_id=request_id,
    )


def transfer_request(
    *,
    case: Case,
    to_desk: Desk,
    note: str,
    actor: User,
    request_id: str | None = None,
) -> DeskTransfer:
    """Ask the leads of ``to_desk`` to take ``case`` (they are alerted: reference and kind only)."""
    access.require_working(actor, case)
    note = _note(note)
    with audit.atomic():
        locked = common.lock(case)
        if not to_desk.is_active or to_desk.pk == locked.desk_id:
            raise InvalidInput(_("Choose another, open desk."))
        if not locked.is_open or locked.is_frozen:
            raise NotAllowed(_("Only an open, unfrozen case can be handed over to another desk."))
        if DeskTransfer.objects.filter(case=locked, status=DeskTransfer.Status.REQUESTED).exists():
            raise InvalidInput(_("A hand-over of this case is waiting already."))
        transfer = DeskTransfer.objects.create(
            case=locked,
            from_desk_id=locked.desk_id,
            to_desk=to_desk,
            requested_by=actor,
            note=note or None,
        )
        _record(actor, "workload.transfer_requested", transfer, request_id)
        alert_raise(
            code=kinds.DESK_TRANSFER_REQUESTED,
            severity=Alert.Severity.INFO,
            target_role=Role.DESK_LEAD,
            target_desk=to_desk,
            case_reference=locked.reference,
            object_type="desk_transfer",
            object_id=str(transfer.pk),
            actor=actor,
            request_id=request_id,
        )
    return transfer


def transfer_notes_viewed(
    *, transfers: Sequence[DeskTransfer], actor: User, request_id: str | None = None
) -> None:
    """Record that ``actor`` (a lead of the receiving desk) was shown these hand-overs' notes:
    one ``workload.transfer_note_viewed`` entry per note, at every view. The note is written for
    them, not a section of the case (which they cannot open yet), so it is not counted as
    reading another desk's case."""
    shown = [t for t in transfers if t.note]
    if not shown:
        return
    with audit.atomic():
        for transfer in shown:
            _record(actor, "workload.transfer_note_viewed", transfer, request_id)


def _decide(transfer: DeskTransfer, status: str, actor: User) -> None:
    transfer.status = status
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])


def transfer_accept(
    *, transfer: DeskTransfer, actor: User, request_id: str | None = None
) -> DeskTransfer:
    """A lead of the receiving desk takes the case: its desk changes (``case_desk_move``)."""
    _require_lead(actor, transfer.to_desk)
    with audit.atomic():
        locked = _locked(transfer)
        if locked.case.desk_id != locked.from_desk_id:
            raise InvalidInput(_("The case moved since this was asked: ask again."))
        case_desk_move(
            case=locked.case,
            to_desk=locked.to_desk,
            actor=actor,
            note=locked.note or "",
            request_id=request_id,
        )
        _decide(locked, DeskTransfer.Status.ACCEPTED, actor)
        _record(actor, "workload.transfer_accepted", locked, request_id)
    return locked


def transfer_decline(
    *, transfer: DeskTransfer, actor: User, request_id: str | None = None
) -> DeskTransfer:
    """A lead of the receiving desk says no: the case stays where it is."""
    _require_lead(actor, transfer.to_desk)
    with audit.atomic():
        locked = _locked(transfer)
        _decide(locked, DeskTransfer.Status.DECLINED, actor)
        _record(actor, "workload.transfer_declined", locked, request_id)
    return locked


def may_withdraw(user: User, transfer: DeskTransfer) -> bool:
    return transfer.requested_by_id == user.pk or leads_desk(user, transfer.from_desk_id)


def transfer_withdraw(
    *, transfer: DeskTransfer, actor: User, request_id: str | None = None
) -> DeskTransfer:
    """Whoever asked (or a lead of the case's desk) takes the request back."""
    if not may_withdraw(actor, transfer):
        raise NotAllowed(_("Only who asked, or a lead of the case's desk, can withdraw this."))
    with audit.atomic():
        locked = _locked(transfer)
        _decide(locked, DeskTransfer.Status.WITHDRAWN, actor)
        _record(actor, "workload.transfer_withdrawn", locked, request_id)
    return locked
