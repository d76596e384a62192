"""Crisis campaigns and desk priorities: the boosts in the triage score."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError
from django.db.models import Q
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import choices
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Campaign, Case, DeskPriority
from passage.cases.services import triage
from passage.cases.workflow import OPEN_STAGES

MAX_BOOST = 30
MAX_DESK_BOOST = 10


def _require(actor: User) -> None:
    if not actor.may(Perm.CAMPAIGNS_MANAGE):
        raise NotAllowed(_("Your role does not allow managing campaigns."))


def campaign_save(
    *,
    actor: User,
    name: str,
    countries: list[str],
    regions: list[str],
    starts_on: dt.date,
    ends_on: dt.date | None,
    priority_boost: int,
    is_active: bool = True,
    campaign: Campaign | None = None,
    request_id: str | None = None,
) -> Campaign:
    """Create or change a campaign; open cases it covers that have none join it, and every
    open case's score is refreshed."""
    _require(actor)
    name = name.strip()
    countries = sorted({c.strip().upper() for c in countries if c.strip()})
    regions = sorted({r.strip() for r in regions if r.strip()})
    if not name:
        raise InvalidInput(_("Give the campaign a name."))
    if not countries and not regions:
        raise InvalidInput(_("Name at least one country or region."))
    if any(c not in choices.country_codes() for c in countries):
        raise InvalidInput(_("Countries are two-letter codes (e.g. RU, IR)."))
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("The campaign cannot end before it starts."))
    if not 0 <= priority_boost <= MAX_BOOST:
        raise InvalidInput(_("The priority boost is between 0 and 30 points."))
    with audit.atomic():
        target = campaign or Campaign()
        created = campaign is None
        target.name = name
        target.countries = countries
        target.regions = regions
        target.starts_on = starts_on
        target.ends_on = ends_on
        target.priority_boost = priority_boost
        target.is_active = is_active
        try:
            with audit.atomic():
                target.save()
        except IntegrityError:
            raise InvalidInput(_("Another campaign has this name.")) from None
        joining = Case.objects.filter(stage__in=OPEN_STAGES, campaign__isnull=True)
        if countries:
            joining = joining.filter(country__in=countries)
        if regions:
            region_match = Q()
            for region in regions:
                region_match |= Q(region__iexact=region)
            joining = joining.filter(region_match)
        # A campaign planned ahead gathers its cases now; its boost counts only while it runs.
        joined = joining.update(campaign=target) if is_active else 0
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="campaign.created" if created else "campaign.changed",
            object_type="campaign",
            object_id=str(target.pk),
            request_id=request_id,
        )
        if joined:
            audit.record(
                actor=audit.actor_for("user", actor.pk),
                action="campaign.cases_joined",
                object_type="campaign",
                object_id=str(target.pk),
                request_id=request_id,
            )
    triage.priority_sweep()
    return target


def desk_priority_set(
    *, desk: Desk, boost: int, actor: User, request_id: str | None = None
) -> bool:
    """Set a desk's priority boost (0-10); False if it was that already."""
    _require(actor)
    if not actor.is_admin and not actor.memberships.filter(desk=desk, is_lead=True).exists():
        raise NotAllowed(_("Only an admin or this desk's lead can set its priority."))
    if not 0 <= boost <= MAX_DESK_BOOST:
        raise InvalidInput(_("A desk's boost is between 0 and 10 points."))
    with audit.atomic():
        current = DeskPriority.objects.select_for_update().filter(desk=desk).first()
        if (current.boost if current else 0) == boost:
            return False
        DeskPriority.objects.update_or_create(desk=desk, defaults={"boost": boost})
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="desk.priority_set",
            object_type="desk",
            object_id=str(desk.pk),
            request_id=request_id,
        )
    triage.priority_sweep()
    return True
