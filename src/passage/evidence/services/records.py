"""Accountability records: coded places, alleged perpetrators, incidents, and the links from a
testimony to what it describes.

Places and perpetrators belong to no case (many cases name them): each has its own data key,
and a plain kind and number to be named by ("Unofficial detention site 3", "Perpetrator 12").
Keeping them needs ``Perm.EVIDENCE_WORK``. Incidents belong to a case (its key). Audit entries
carry ids only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Max
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.services import common
from passage.evidence.models import (
    Incident,
    Perpetrator,
    Place,
    Testimony,
    TestimonyLink,
    Violation,
)
from passage.evidence.services.testimony import require

MAX_LABEL = 300
MAX_DESCRIPTION = 5000


def _require_perm(actor: User) -> None:
    if actor.partner_id is not None or not actor.may(Perm.EVIDENCE_WORK):
        raise NotAllowed(_("Your role does not allow this."))


def _text(value: str, limit: int, message: str) -> str:
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(message)
    return text


def place_create(*, actor: User, kind: str, label: str, request_id: str | None = None) -> Place:
    """A coded place; its number is the next of its kind."""
    _require_perm(actor)
    if kind not in Place.Kind.values:
        raise InvalidInput(_("Choose the kind of place."))
    text = _text(label, MAX_LABEL, _("Keep the label under 300 characters."))
    if not text:
        raise InvalidInput(_("Say what the place is, for colleagues (stored encrypted)."))
    with audit.atomic():
        # The kind's rows locked, so two new places never get the same number.
        numbers = list(
            Place.objects.select_for_update().filter(kind=kind).values_list("number", flat=True)
        )
        place = Place(kind=kind, number=max(numbers, default=0) + 1, label=text, created_by=actor)
        place.save()
        common.record_object(actor, "evidence.place_created", "place", place.pk, request_id)
    return place


def perpetrator_create(
    *,
    actor: User,
    name: str,
    unit: str = "",
    role: str = "",
    request_id: str | None = None,
) -> Perpetrator:
    """An alleged perpetrator (name, unit and role encrypted under its own key)."""
    _require_perm(actor)
    message = _("Keep each detail under 300 characters.")
    values = [_text(v, MAX_LABEL, message) for v in (name, unit, role)]
    if not any(values):
        raise InvalidInput(_("Give a name, a unit or a role."))
    with audit.atomic():
        numbers = list(Perpetrator.objects.select_for_update().values_list("number", flat=True))
        row = Perpetrator(
            number=max(numbers, default=0) + 1,
            name=values[0] or None,
            unit=values[1] or None,
            role=values[2] or None,
            created_by=actor,
        )
        row.save()
        common.record_object(
            actor, "evidence.perpetrator_created", "perpetrator", row.pk, request_id
        )
    return row


def incident_record(
    *,
    testimony: Testimony,
    actor: User,
    violation: str,
    place: Place | None,
    date_from: dt.date,
    date_to: dt.date | None = None,
    description: str = "",
    request_id: str | None = None,
) -> Incident:
    """An incident of the testimony's case, linked to the testimony that describes it."""
    case = testimony.case
    require(actor, case)
    if violation not in Violation.values:
        raise InvalidInput(_("Choose the type of violation."))
    if date_to is not None and date_to < date_from:
        raise InvalidInput(_("The end of the period is before its start."))
    text = _text(description, MAX_DESCRIPTION, _("Keep the description under 5000 characters."))
    with audit.atomic():
        locked = common.lock(case)
        highest = Incident.objects.filter(case=locked).aggregate(Max("number"))["number__max"]
        incident = Incident(
            case=locked,
            number=(highest or 0) + 1,
            violation=violation,
            place=place,
            occurred={
                "from": date_from.isoformat(),
                "to": date_to.isoformat() if date_to else "",
            },
            description=text or None,
            recorded_by=actor,
        )
        incident.save()
        TestimonyLink.objects.create(testimony=testimony, incident=incident)
        common.record(
            actor,
            "evidence.incident_recorded",
            locked,
            object_type="incident",
            object_id=str(incident.pk),
            request_id=request_id,
        )
    return incident


def links_set(
    *,
    testimony: Testimony,
    actor: User,
    places: Iterable[uuid.UUID],
    perpetrators: Iterable[uuid.UUID],
    incidents: Iterable[uuid.UUID],
    request_id: str | None = None,
) -> None:
    """What the testimony describes, replacing what was said before: places, perpetrators and
    incidents of its own case (others are refused)."""
    case = testimony.case
    require(actor, case)
    place_ids = set(places)
    perpetrator_ids = set(perpetrators)
    incident_ids = set(incidents)
    if len(Place.objects.filter(pk__in=place_ids)) != len(place_ids):
        raise InvalidInput(_("One of the places no longer exists."))
    if len(Perpetrator.objects.filter(pk__in=perpetrator_ids)) != len(perpetrator_ids):
        raise InvalidInput(_("One of the perpetrators no longer exists."))
    if Incident.objects.filter(pk__in=incident_ids, case=case).count() != len(incident_ids):
        raise InvalidInput(_("An incident must be one of this case's."))
    with audit.atomic():
        common.lock(case)
        TestimonyLink.objects.filter(testimony=testimony).delete()
        TestimonyLink.objects.bulk_create(
            [TestimonyLink(testimony=testimony, place_id=p) for p in sorted(place_ids)]
            + [
                TestimonyLink(testimony=testimony, perpetrator_id=p)
                for p in sorted(perpetrator_ids)
            ]
            + [TestimonyLink(testimony=testimony, incident_id=i) for i in sorted(incident_ids)]
        )
        common.record(
            actor,
            "evidence.links_changed",
            case,
            object_type="testimony",
            object_id=str(testimony.pk),
            request_id=request_id,
        )
