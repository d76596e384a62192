"""Routes: create, add legs, change status, and mark compromised (each audited).

Audit entries name the route (``object_type="route"``) or the leg; never a place or a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm, Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import alert_raise
from passage.audit import services as audit
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import common
from passage.documents.models import PersonDocument
from passage.routes import access
from passage.routes.models import Mode, Route, RouteFlag, RouteLeg, TravelLeg

CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{1,39}")
COUNTRY_RE = re.compile(r"[A-Z]{2}")
MAX_TEXT = 2000
MIN_REASON = 10


@dataclass(frozen=True)
class LegDetails:
    origin_country: str
    destination_country: str
    mode: str
    origin: str = ""
    transit: str = ""
    destination: str = ""
    border_crossing: bool = False
    required_documents: tuple[str, ...] = field(default_factory=tuple)
    risk: str = RouteLeg.Risk.MEDIUM
    notes: str = ""


def _actor(user: User) -> str:
    return audit.actor_for("user", user.pk)


def _text(value: str, what: str) -> str:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("Keep %(what)s under 2000 characters.") % {"what": what})
    return text


def route_create(
    *, desk: Desk, actor: User, code: str, notes: str = "", request_id: str | None = None
) -> Route:
    """A new active route of ``desk`` (the actor must be logistics on that desk)."""
    if not actor.may(Perm.LOGISTICS_REVEAL) or not actor.memberships.filter(desk=desk).exists():
        raise NotAllowed(_("Only logistics of the desk may add routes."))
    code = code.strip()
    if not CODE_RE.fullmatch(code):
        raise InvalidInput(
            _("A route's code name has 2 to 40 letters, digits, spaces, dashes or underscores.")
        )
    with audit.atomic():
        if Route.objects.filter(code__iexact=code).exists():
            raise InvalidInput(_("Another route already has this code name."))
        route = Route(desk=desk, code=code, notes=_text(notes, _("the notes")) or None)
        route.created_by = actor
        try:
            with transaction.atomic():
                route.save()
        except IntegrityError:  # the same code name, added at the same moment
            raise InvalidInput(_("Another route already has this code name.")) from None
        audit.record(
            actor=_actor(actor),
            action="route.created",
            object_type="route",
            object_id=str(route.pk),
            request_id=request_id,
        )
    return Route.objects.get(pk=route.pk)


def _check_leg(details: LegDetails) -> None:
    for country in (details.origin_country, details.destination_country):
        if not COUNTRY_RE.fullmatch(country):
            raise InvalidInput(_("Give countries as two-letter codes (RU, GE, CA)."))
    if details.mode not in Mode.values:
        raise InvalidInput(_("Choose a transport mode."))
    if details.risk not in RouteLeg.Risk.values:
        raise InvalidInput(_("Choose a risk level."))
    for code in details.required_documents:
        if code not in PersonDocument.Kind.values:
            raise InvalidInput(_("Choose required documents from the list."))


def route_leg_add(
    *, route: Route, actor: User, details: LegDetails, request_id: str | None = None
) -> RouteLeg:
    """Add a leg at the end of ``route``."""
    access.require_logistics(actor, route)
    _check_leg(details)
    with audit.atomic():
        locked = Route.objects.select_for_update().get(pk=route.pk)
        highest = locked.legs.aggregate(Max("position"))["position__max"] or 0
        leg = RouteLeg(
            route=locked,
            position=highest + 1,
            origin_country=details.origin_country,
            destination_country=details.destination_country,
            origin=_text(details.origin, _("the origin")) or None,
            transit=_text(details.transit, _("the transit points")) or None,
            destination=_text(details.destination, _("the destination")) or None,
            mode=details.mode,
            border_crossing=details.border_crossing,
            required_documents=sorted(set(details.required_documents)),
            risk=details.risk,
            notes=_text(details.notes, _("the notes")) or None,
        )
        leg.save()
        audit.record(
            actor=_actor(actor),
            action="route.leg_added",
            object_type="routeleg",
            object_id=str(leg.pk),
            request_id=request_id,
        )
    return RouteLeg.objects.select_related("route").get(pk=leg.pk)


def route_status_set(
    *, route: Route, actor: User, status: str, request_id: str | None = None
) -> Route:
    """Set a route active or under review (compromised only through ``route_mark_compromised``;
    a compromised route stays compromised)."""
    access.require_logistics(actor, route)
    if status not in (Route.Status.ACTIVE, Route.Status.UNDER_REVIEW):
        raise InvalidInput(_("Choose active or under review."))
    with audit.atomic():
        locked = Route.objects.select_for_update().get(pk=route.pk)
        if locked.status == Route.Status.COMPROMISED:
            raise NotAllowed(_("A compromised route stays compromised: plan another route."))
        locked.status = status
        locked.save(update_fields=["status"])
        audit.record(
            actor=_actor(actor),
            action=f"route.status_{status}",
            object_type="route",
            object_id=str(locked.pk),
            request_id=request_id,
        )
    return locked


def cases_on(route: Route) -> list[Case]:
    """Cases that use or plan to use ``route``: a travel plan on it with a leg not completed,
    or with no legs yet."""
    unfinished = TravelLeg.objects.filter(plan__route=route).exclude(
        status=TravelLeg.Status.COMPLETED
    )
    ids = set(unfinished.values_list("plan__case_id", flat=True))
    ids |= set(route.travel_plans.filter(legs__isnull=True).values_list("case_id", flat=True))
    return list(
        Case.objects.filter(pk__in=ids, merged_into__isnull=True)
        .select_related("desk")
        .order_by("reference")
    )


def route_mark_compromised(
    *, route: Route, actor: User, reason: str, request_id: str | None = None
) -> list[Case]:
    """Mark ``route`` compromised: flag every case on it, alert the caseworkers and logistics of
    each case's desk, audit it all. Deletes nothing. Returns the flagged cases.

    ``reason`` is checked (at least 10 characters) but not kept in plaintext anywhere: it goes
    into the route's encrypted notes.
    """
    access.require_logistics(actor, route)
    reason = _text(reason, _("the reason"))
    if len(reason) < MIN_REASON:
        raise InvalidInput(_("Say why the route is compromised (at least 10 characters)."))
    now = timezone.now()
    with audit.atomic():
        locked = Route.objects.select_for_update().get(pk=route.pk)
        if locked.status == Route.Status.COMPROMISED:
            raise NotAllowed(_("This route is already marked compromised."))
        locked.status = Route.Status.COMPROMISED
        locked.compromised_at = now
        stamp = now.strftime("%Y-%m-%d %H:%M UTC")
        locked.notes = "\n\n".join(
            part for part in (locked.notes or "", f"[{stamp}] {reason}") if part
        )
        locked.save(update_fields=["status", "compromised_at", "notes"])
        audit.record(
            actor=_actor(actor),
            action="route.compromised",
            object_type="route",
            object_id=str(locked.pk),
            request_id=request_id,
        )
        flagged = cases_on(locked)
        for case in flagged:
            RouteFlag.objects.get_or_create(
                case=case, route=locked, defaults={"raised_at": now, "raised_by": actor}
            )
            common.record(actor, "case.route_compromised", case, request_id=request_id)
            for role in (Role.CASEWORKER, Role.LOGISTICS):
                alert_raise(
                    code=kinds.ROUTE_COMPROMISED,
                    severity=Alert.Severity.CRITICAL,
                    target_role=role,
                    target_desk=case.desk,
                    case_reference=case.reference,
                    object_type="case",
                    object_id=str(case.pk),
                    actor=actor,
                    request_id=request_id,
                    now=now,
                )
    return flagged


def route_reveal(*, route: Route, actor: User, request_id: str | None = None) -> None:
    """Record that ``actor`` sees the route's places and notes (``route.viewed``)."""
    access.require_logistics(actor, route)
    with audit.atomic():
        audit.record(
            actor=_actor(actor),
            action="route.viewed",
            object_type="route",
            object_id=str(route.pk),
            request_id=request_id,
        )
