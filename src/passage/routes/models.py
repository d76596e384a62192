"""Routes (the way people travel: ordered legs with risk and status) and the travel plans of
cases (dated legs with bookings, escorts and meeting points).

A ``Route`` belongs to no case: it has a data key of its own. Plain on a route and its legs is
what lists, the journey board and the compromise check need: the route's code name, desk and
status, and per leg its position, the countries it runs between (ISO codes: coarse, as
invariant 1 allows), transport mode, border crossing, required document codes and risk level.
The places themselves (cities, transit points) and the notes are encrypted under the route's
key: a seized database shows that a route crosses from RU to GE by bus, not where.

A ``TravelPlan`` and its ``TravelLeg`` rows belong to a case (its key). Plain: dates, status,
carrier code word (e.g. "bus", "air"), whether a booking is recorded, and the route it follows.
The carrier's name, booking reference, escort and meeting point are encrypted; a ticket is a
case file (``passage.casefiles``, ``attached_kind="travel_leg"``).

``RouteFlag`` marks a case that used or planned to use a route when it was marked compromised:
ids, times and a status only, nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel

# ``attached_kind`` of a case file that is the ticket of a travel leg.
TICKET_ATTACHMENT = "travel_leg"


class Mode(models.TextChoices):
    AIR = "air", _("Air")
    RAIL = "rail", _("Rail")
    BUS = "bus", _("Bus")
    CAR = "car", _("Car")
    FOOT = "foot", _("On foot")
    BOAT = "boat", _("Boat")
    OTHER = "other", _("Other")


class Route(ProtectedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        UNDER_REVIEW = "under_review", _("Under review")
        COMPROMISED = "compromised", _("Compromised")

    key_owner_path = None  # a data key of its own

    # A code name staff use ("Rowan"), chosen not to name any place: caseworkers see it.
    code = models.CharField(max_length=40, unique=True)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="routes")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.ACTIVE)
    notes = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    compromised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class RouteLeg(ProtectedModel):
    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    key_owner_path = "route"

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField()
    origin_country = models.CharField(max_length=2)
    destination_country = models.CharField(max_length=2)
    # Cities and transit points: encrypted (they are what an infiltrator looks for).
    origin = EncryptedTextField()
    transit = EncryptedTextField()
    destination = EncryptedTextField()
    mode = models.CharField(max_length=8, choices=Mode.choices)
    border_crossing = models.BooleanField(default=False)
    # Kind codes of passage.documents (PersonDocument.Kind): the journey board compares them.
    required_documents = models.JSONField(default=list, blank=True)
    risk = models.CharField(max_length=8, choices=Risk.choices, default=Risk.MEDIUM)
    notes = EncryptedTextField()

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="routes_leg_position")
        ]

    def __str__(self) -> str:
        return f"leg {self.position} of {self.route_id}"


class TravelPlan(ProtectedModel):
    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="travel_plans")
    route = models.ForeignKey(
        Route, null=True, blank=True, on_delete=models.PROTECT, related_name="travel_plans"
    )
    # What to do if something goes wrong, whom to call: encrypted. (Having an encrypted column
    # also makes a case merge move the plan, and its legs, to the surviving case.)
    notes = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"travel plan of {self.case_id}"


class TravelLeg(ProtectedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        BOOKED = "booked", _("Booked")
        TRAVELLING = "travelling", _("Travelling")
        COMPLETED = "completed", _("Completed")
        DISRUPTED = "disrupted", _("Disrupted")

    key_owner_path = "plan__case"

    plan = models.ForeignKey(TravelPlan, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField()
    departs_on = models.DateField()
    arrives_on = models.DateField()
    mode = models.CharField(max_length=8, choices=Mode.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    has_booking = models.BooleanField(default=False)
    carrier = EncryptedTextField()
    booking_reference = EncryptedTextField()
    escort = EncryptedTextField()
    meeting_point = EncryptedTextField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="routes_travel_leg_position")
        ]
        indexes = [models.Index(fields=["departs_on"], name="routes_travel_leg_departs")]

    def __str__(self) -> str:
        return f"leg {self.position} of {self.plan_id}"


class RouteFlag(models.Model):
    """A case that used or planned to use a route when it was marked compromised."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="route_flags")
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="flags")
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["case", "route"], name="routes_flag_once")]

    def __str__(self) -> str:
        return f"route flag {self.route_id} on {self.case_id}"
