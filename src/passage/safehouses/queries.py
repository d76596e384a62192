"""What a user may see of safe houses: the houses of their desks (code names and plain facts),
the stays in them by case reference, occupancy night by night, and stay lengths.

Addresses, contacts and rules are never read here: only ``services.safehouse_reveal`` decrypts
them, for logistics staff, with an audit entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.cases.models import Case
from passage.safehouses.models import ExposureFlag, SafeHouse, Stay
from passage.safehouses.services import active_stays, nightly_load

CAPACITY_NIGHTS = 90
CALENDAR_NIGHTS = 31


def visible_houses(user: User) -> QuerySet[SafeHouse]:
    """Houses of the user's desks, for staff who see their desks' cases (never partners)."""
    if (
        not isinstance(user, User)
        or user.partner_id is not None
        or not user.may(Perm.CASES_VIEW_DESK)
    ):
        return SafeHouse.objects.none()
    return SafeHouse.objects.filter(desk_id__in=user.memberships.values("desk_id")).select_related(
        "desk"
    )


def house_for(user: User, house_id: object) -> SafeHouse | None:
    try:
        key = uuid.UUID(str(house_id))
    except ValueError:
        return None
    return visible_houses(user).filter(pk=key).first()


def may_reveal(user: User, house: SafeHouse) -> bool:
    return user.may(Perm.LOGISTICS_REVEAL) and user.memberships.filter(desk=house.desk).exists()


@dataclass(frozen=True)
class HouseLine:
    house: SafeHouse
    tonight: int  # people staying tonight

    @property
    def free(self) -> int:
        return max(self.house.beds - self.tonight, 0)


def house_lines(user: User, today: dt.date | None = None) -> list[HouseLine]:
    night = today or timezone.localdate()
    houses = list(visible_houses(user))
    stays = list(
        Stay.objects.filter(house__in=houses, cancelled_at__isnull=True).exclude(
            actual_to__lte=night
        )
    )
    return [
        HouseLine(h, sum(s.people for s in stays if s.house_id == h.pk and s.occupies(night)))
        for h in houses
    ]


def stays_of_house(house: SafeHouse) -> list[Stay]:
    return list(Stay.objects.filter(house=house).select_related("case").order_by("-planned_from"))


def stays_of_case(case: Case) -> list[Stay]:
    return list(Stay.objects.filter(case=case).select_related("house").order_by("-planned_from"))


def flags_of_case(case: Case) -> list[ExposureFlag]:
    return list(ExposureFlag.objects.filter(case=case).select_related("house"))


def flags_of_house(house: SafeHouse) -> list[ExposureFlag]:
    return list(ExposureFlag.objects.filter(house=house).select_related("case"))


@dataclass(frozen=True)
class StayLengths:
    count: int
    average: float | None  # nights
    longest: int | None


def stay_lengths(stays: list[Stay], today: dt.date | None = None) -> StayLengths:
    """Lengths of the stays that began: until they ended, or until today for current ones."""
    night = today or timezone.localdate()
    lengths = [
        ((s.actual_to or night) - s.actual_from).days
        for s in stays
        if s.actual_from is not None and s.cancelled_at is None
    ]
    if not lengths:
        return StayLengths(0, None, None)
    return StayLengths(len(lengths), round(sum(lengths) / len(lengths), 1), max(lengths))


def lengths_overall(user: User) -> StayLengths:
    return stay_lengths(list(Stay.objects.filter(house__in=visible_houses(user))))


@dataclass(frozen=True)
class CalendarRow:
    night: dt.date
    stays: list[Stay]
    people: int
    beds: int

    @property
    def over(self) -> bool:
        return self.people > self.beds


def calendar(house: SafeHouse, first: dt.date, nights: int = CALENDAR_NIGHTS) -> list[CalendarRow]:
    last = first + dt.timedelta(days=nights)
    stays = active_stays(house, first, last)
    rows = []
    for night, people in nightly_load(stays, first, last).items():
        rows.append(CalendarRow(night, [s for s in stays if s.occupies(night)], people, house.beds))
    return rows


@dataclass(frozen=True)
class CapacityRow:
    house: SafeHouse
    free: list[int]  # free beds on each night


def capacity(
    user: User, first: dt.date, nights: int = CAPACITY_NIGHTS
) -> tuple[list[dt.date], list[CapacityRow]]:
    last = first + dt.timedelta(days=nights)
    days = [first + dt.timedelta(days=n) for n in range(nights)]
    rows = []
    for house in visible_houses(user):
        usable = house.status == SafeHouse.Status.OPEN
        load = nightly_load(active_stays(house, first, last), first, last)
        free = [max(house.beds - load[d], 0) if usable else 0 for d in days]
        rows.append(CapacityRow(house, free))
    return days, rows
