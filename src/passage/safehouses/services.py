"""Keeping safe houses, placing cases in them, and marking a house compromised (each audited).

- ``safehouse_create`` / ``safehouse_set_status``: logistics staff of the house's desk.
- ``safehouse_reveal``: the address, contact and rules, for logistics staff of the house's desk
  only (the view also asks for a recent second factor); every reveal is an audit entry
  (``safehouse.address_viewed``).
- ``stay_place``: a verified, open case of a desk the actor works, in an open house of one of
  their desks, for planned nights ``[from, to)``. The house row is locked first, so two
  placements cannot both take the last beds. Every night of the stay, the people of the
  overlapping stays plus the case's household size must fit in the beds.
- ``stay_arrive`` / ``stay_end`` / ``stay_move``: the actual dates; a stay ended before arrival
  is cancelled.
- ``safehouse_mark_compromised``: status compromised (for good), an ``ExposureFlag`` on every
  current or planned stay, a content-free alert for each case's caseworkers and for the desk's
  logistics staff. Nothing is deleted.

Audit entries name houses (``safehouse``) and stays (``stay``) by id; no text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm, Role
from passage.alerts import kinds
from passage.alerts import services as alert_services
from passage.alerts.models import Alert
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import common
from passage.safehouses.models import ExposureFlag, SafeHouse, Stay

MAX_NIGHTS = 366
MAX_TEXT = 2000
MAX_BEDS = 200
# Statuses staff set by hand; "compromised" has its own service and is final.
SETTABLE = (SafeHouse.Status.OPEN, SafeHouse.Status.FULL, SafeHouse.Status.CLOSED)


@dataclass(frozen=True)
class Revealed:
    address: str
    contact: str
    rules: str
    compromise_reason: str


def on_desk(user: User, desk_id: uuid.UUID) -> bool:
    return user.memberships.filter(desk_id=desk_id).exists()


def require_logistics(actor: User, house_desk_id: uuid.UUID) -> None:
    """Raise unless ``actor`` holds the logistics permission on the house's desk."""
    if not actor.may(Perm.LOGISTICS_REVEAL) or not on_desk(actor, house_desk_id):
        raise CaseNotFound(_("No such safe house."))


def _text(value: str, label: str, *, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput(_("Give the %(what)s.") % {"what": label})
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("Keep the %(what)s under 2000 characters.") % {"what": label})
    return text


def safehouse_create(
    *,
    actor: User,
    desk: Desk,
    code_name: str,
    region: str,
    beds: int,
    address: str,
    contact: str = "",
    rules: str = "",
    request_id: str | None = None,
) -> SafeHouse:
    require_logistics(actor, desk.pk)
    name = code_name.strip()
    if not name or len(name) > 40:
        raise InvalidInput(_("Give a code name of at most 40 characters."))
    if not region.strip() or len(region.strip()) > 80:
        raise InvalidInput(_("Give a city or region of at most 80 characters."))
    if not 1 <= beds <= MAX_BEDS:
        raise InvalidInput(_("A safe house has between 1 and 200 beds."))
    with audit.atomic():
        if SafeHouse.objects.filter(code_name__iexact=name).exists():
            raise InvalidInput(_("Another safe house has this code name: choose another."))
        house = SafeHouse(
            desk=desk,
            code_name=name,
            region=region.strip(),
            beds=beds,
            address=_text(address, _("address"), required=True),
            contact=_text(contact, _("contact")) or None,
            rules=_text(rules, _("house rules")) or None,
            created_by=actor,
        )
        house.save()
        common.record_object(actor, "safehouse.created", "safehouse", house.pk, request_id)
    return SafeHouse.objects.get(pk=house.pk)


def _lock(house: SafeHouse) -> SafeHouse:
    return SafeHouse.objects.select_for_update(of=("self",)).get(pk=house.pk)


def safehouse_set_status(
    *, house: SafeHouse, actor: User, status: str, request_id: str | None = None
) -> SafeHouse:
    require_logistics(actor, house.desk_id)
    if status not in SETTABLE:
        raise InvalidInput(_("Choose open, full or closed."))
    with audit.atomic():
        locked = _lock(house)
        if locked.is_compromised:
            raise NotAllowed(_("A compromised safe house stays compromised."))
        locked.status = status
        locked.save(update_fields=["status"])
        common.record_object(
            actor, f"safehouse.status_{status}", "safehouse", locked.pk, request_id
        )
    return locked


def safehouse_reveal(*, house: SafeHouse, actor: User, request_id: str | None = None) -> Revealed:
    """Record that ``actor`` saw the house's address, contact and rules, then decrypt them."""
    require_logistics(actor, house.desk_id)
    row = SafeHouse.objects.get(pk=house.pk)
    with audit.atomic():
        common.record_object(actor, "safehouse.address_viewed", "safehouse", row.pk, request_id)
    return Revealed(
        address=row.address or "",
        contact=row.contact or "",
        rules=row.rules or "",
        compromise_reason=row.compromise_reason or "",
    )


def nightly_load(stays: list[Stay], first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """People in ``stays`` on each night from ``first`` to ``last`` (exclusive)."""
    load = {}
    night = first
    while night < last:
        load[night] = sum(s.people for s in stays if s.occupies(night))
        night += dt.timedelta(days=1)
    return load


def active_stays(house: SafeHouse, first: dt.date, last: dt.date) -> list[Stay]:
    """Stays of ``house`` (not cancelled) with a night in ``[first, last)``."""
    found = Stay.objects.filter(house=house, cancelled_at__isnull=True).exclude(
        actual_to__lte=first
    )
    return [s for s in found.select_related("case") if s.start < last and s.end > first]


def _check_dates(first: dt.date, last: dt.date, today: dt.date) -> None:
    if first < today:
        raise InvalidInput(_("A stay is planned from today or later."))
    if last <= first:
        raise InvalidInput(_("The stay must end after it begins (at least one night)."))
    if (last - first).days > MAX_NIGHTS:
        raise InvalidInput(_("Plan a stay of at most 366 nights; extend it later if needed."))


def _fits(house: SafeHouse, people: int, first: dt.date, last: dt.date) -> None:
    stays = active_stays(house, first, last)
    load = nightly_load(stays, first, last)
    full = [night for night, count in load.items() if count + people > house.beds]
    if full:
        raise NotAllowed(
            _(
                "%(house)s has %(beds)s beds: %(people)s more people do not fit on the night "
                "of %(night)s (and %(more)s other nights)."
            )
            % {
                "house": house.code_name,
                "beds": house.beds,
                "people": people,
                "night": full[0].isoformat(),
                "more": len(full) - 1,
            }
        )


def _place(*, case: Case, house: SafeHouse, actor: User, first: dt.date, last: dt.date) -> Stay:
    """Place ``case`` in the locked ``house`` (inside a transaction); checks all but access."""
    if house.status != SafeHouse.Status.OPEN:
        raise NotAllowed(
            _("%(house)s is %(status)s: only an open safe house takes people.")
            % {"house": house.code_name, "status": house.get_status_display()}
        )
    if case.verification_outcome != Case.Verification.VERIFIED:
        raise NotAllowed(_("Only a verified case can be placed in a safe house."))
    if not case.is_open:
        raise NotAllowed(_("This case is closed."))
    own = Stay.objects.filter(case=case, cancelled_at__isnull=True).exclude(actual_to__lte=first)
    if any(s.start < last and s.end > first for s in own):
        raise NotAllowed(_("This case already has a stay on some of these nights."))
    people = max(int(case.household_size), 1)
    _fits(house, people, first, last)
    return Stay.objects.create(
        case=case,
        house=house,
        people=people,
        planned_from=first,
        planned_to=last,
        created_by=actor,
    )


def stay_place(
    *,
    case: Case,
    house: SafeHouse,
    actor: User,
    planned_from: dt.date,
    planned_to: dt.date,
    request_id: str | None = None,
) -> Stay:
    """Place ``case`` (all its household: one bed each, every night) in ``house``."""
    access.require_working(actor, case, Perm.LOGISTICS_REVEAL)
    require_logistics(actor, house.desk_id)
    _check_dates(planned_from, planned_to, timezone.localdate())
    with audit.atomic():
        locked = _lock(house)
        stay = _place(
            case=common.lock(case), house=locked, actor=actor, first=planned_from, last=planned_to
        )
        common.record_object(actor, "safehouse.stay_placed", "stay", stay.pk, request_id)
    return stay


def _stay_for_change(stay: Stay, actor: User) -> Stay:
    access.require_working(actor, stay.case, Perm.LOGISTICS_REVEAL)
    require_logistics(actor, stay.house.desk_id)
    locked = Stay.objects.select_for_update(of=("self",)).select_related("case", "house")
    row = locked.get(pk=stay.pk)
    if row.cancelled_at is not None or row.is_ended:
        raise NotAllowed(_("This stay is over."))
    return row


def stay_arrive(*, stay: Stay, actor: User, on: dt.date, request_id: str | None = None) -> Stay:
    """The case arrived on ``on`` (today or earlier, not before the stay was planned)."""
    if on > timezone.localdate():
        raise InvalidInput(_("An arrival is recorded on the day or after."))
    with audit.atomic():
        row = _stay_for_change(stay, actor)
        if row.actual_from is not None:
            raise NotAllowed(_("The arrival is already recorded."))
        if on >= row.planned_to:
            raise InvalidInput(_("The arrival must be before the planned end of the stay."))
        row.actual_from = on
        row.save(update_fields=["actual_from"])
        common.record_object(actor, "safehouse.stay_arrived", "stay", row.pk, request_id)
    return row


def stay_end(*, stay: Stay, actor: User, on: dt.date, request_id: str | None = None) -> Stay:
    """The case left on ``on``; a stay not yet begun is cancelled instead."""
    with audit.atomic():
        row = _stay_for_change(stay, actor)
        if row.actual_from is None:
            row.cancelled_at = timezone.now()
            row.save(update_fields=["cancelled_at"])
            common.record_object(actor, "safehouse.stay_cancelled", "stay", row.pk, request_id)
            return row
        if on < row.actual_from or on > timezone.localdate():
            raise InvalidInput(_("The stay ends between the arrival and today."))
        row.actual_to = on
        row.save(update_fields=["actual_to"])
        common.record_object(actor, "safehouse.stay_ended", "stay", row.pk, request_id)
    return row


def stay_move(
    *,
    stay: Stay,
    house: SafeHouse,
    actor: User,
    planned_to: dt.date,
    request_id: str | None = None,
) -> Stay:
    """Move the case today from its current stay to ``house`` until ``planned_to``: the old
    stay ends today, the new one is planned from today (one transaction: both or neither)."""
    today = timezone.localdate()
    require_logistics(actor, house.desk_id)
    _check_dates(today, planned_to, today)
    with audit.atomic():
        locked = _lock(house)
        row = _stay_for_change(stay, actor)
        if row.house_id == locked.pk:
            raise InvalidInput(_("Choose another safe house."))
        if row.actual_from is None:
            row.cancelled_at = timezone.now()
            row.save(update_fields=["cancelled_at"])
        else:
            row.actual_to = today
            row.save(update_fields=["actual_to"])
        common.record_object(actor, "safehouse.stay_ended", "stay", row.pk, request_id)
        new = _place(
            case=common.lock(row.case), house=locked, actor=actor, first=today, last=planned_to
        )
        common.record_object(actor, "safehouse.stay_placed", "stay", new.pk, request_id)
    return new


def safehouse_mark_compromised(
    *, house: SafeHouse, actor: User, reason: str, request_id: str | None = None
) -> list[ExposureFlag]:
    """Mark ``house`` compromised, flag every case with a current or planned stay there, and
    alert their caseworkers and the desk's logistics staff. Returns the new flags."""
    require_logistics(actor, house.desk_id)
    why = _text(reason, _("reason"), required=True)
    now = timezone.now()
    with audit.atomic():
        locked = _lock(house)
        if locked.is_compromised:
            raise NotAllowed(_("This safe house is already marked compromised."))
        locked.status = SafeHouse.Status.COMPROMISED
        locked.compromised_at = now
        locked.compromised_by = actor
        locked.compromise_reason = why
        locked.save(
            update_fields=["status", "compromised_at", "compromised_by", "compromise_reason"]
        )
        common.record_object(actor, "safehouse.compromised", "safehouse", locked.pk, request_id)
        exposed = Stay.objects.filter(
            house=locked, cancelled_at__isnull=True, actual_to__isnull=True
        ).select_related("case", "case__assignee", "case__desk")
        flags = []
        for stay in exposed:
            flag = ExposureFlag.objects.create(
                case=stay.case, house=locked, stay=stay, raised_at=now, raised_by=actor
            )
            flags.append(flag)
            common.record_object(actor, "safehouse.case_flagged", "case", stay.case_id, request_id)
            _alert(stay.case, locked, actor, request_id)
    return flags


def _alert(case: Case, house: SafeHouse, actor: User, request_id: str | None) -> None:
    """Content-free alerts (code and reference): the case's assignee (or its desk's
    caseworkers when nobody is assigned), and the house desk's logistics staff."""
    targets: list[tuple[Role | None, Desk | None, User | None]] = [
        (None, None, case.assignee) if case.assignee else (Role.CASEWORKER, case.desk, None),
        (Role.LOGISTICS, house.desk, None),
    ]
    for role, desk, user in targets:
        alert_services.alert_raise(
            code=kinds.SAFEHOUSE_COMPROMISED,
            severity=Alert.Severity.CRITICAL,
            target_role=role,
            target_desk=desk,
            target_user=user,
            case_reference=case.reference,
            object_type="case",
            object_id=str(case.pk),
            actor=actor,
            request_id=request_id,
        )
