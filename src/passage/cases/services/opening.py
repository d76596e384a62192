"""Opening cases: by staff, from a partner's referral, and (for the intake issue) from a request.

Every case gets a reference like ``PSG-2026-000123`` (a yearly counter: no personal data in
it), its own data key on its first encrypted write, a principal person, a priority, and a
duplicate check against every other case.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import choices, rollups
from passage.cases.exceptions import InvalidInput, NotAllowed, TransitionRefused
from passage.cases.models import REFERENCE_PREFIX, Campaign, Case, CaseEvent, ReferenceCounter
from passage.cases.priority import FACTOR_CODES
from passage.cases.services import common, duplicates
from passage.cases.services.people import ChannelDetails, PersonDetails, person_create
from passage.cases.workflow import OPEN_STAGES, Stage

MAX_HOUSEHOLD = 30
MAX_NARRATIVE = 20_000


def reference_next(*, year: int) -> str:
    """The next free reference of ``year``; call inside the transaction that uses it."""
    updated = ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
        except IntegrityError:  # created meanwhile by another writer
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(year=year).last
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def campaign_for(*, country: str, region: str, day: dt.date) -> Campaign | None:
    """The running campaign with the highest boost that covers this country and region."""
    running = [
        c
        for c in Campaign.objects.filter(is_active=True, starts_on__lte=day)
        if c.runs_on(day) and c.covers(country=country, region=region)
    ]
    return max(running, key=lambda c: c.priority_boost, default=None)


def _check_common(*, urgency: str, household_size: int, narrative: str, country: str) -> None:
    if urgency not in Case.Urgency.values:
        raise InvalidInput(_("Choose how urgent it is."))
    if not 1 <= household_size <= MAX_HOUSEHOLD:
        raise InvalidInput(_("A household has between 1 and 30 people."))
    if len(narrative) > MAX_NARRATIVE:
        raise InvalidInput(_("The account is too long (at most 20,000 characters)."))
    if country and country.upper() not in choices.country_codes():
        raise InvalidInput(_("Choose a country from the list."))


def _open(
    *,
    desk: Desk,
    source: str,
    actor: User,
    person: PersonDetails,
    channels: list[ChannelDetails],
    urgency: str,
    reply_language: str,
    country: str,
    region: str,
    household_size: int,
    narrative: str,
    factors: set[str],
    referred_by: PartnerOrganisation | None,
    campaign: Campaign | None,
    request_id: str | None,
    now: dt.datetime | None,
) -> Case:
    _check_common(
        urgency=urgency, household_size=household_size, narrative=narrative, country=country
    )
    unknown = factors - FACTOR_CODES
    if unknown:
        raise InvalidInput(_("Unknown triage factor."))
    if not desk.is_active:
        raise InvalidInput(_("This desk is closed; choose another one."))
    moment = now or timezone.now()
    if urgency == Case.Urgency.IMMEDIATE:
        factors = factors | {"immediate_danger"}
    with audit.atomic():
        case = Case(
            reference=reference_next(year=moment.year),
            desk=desk,
            source=source,
            stage=Stage.NEW,
            stage_entered_at=moment,
            opened_at=moment,
            urgency=urgency,
            reply_language=reply_language,
            country=country.upper(),
            region=region.strip(),
            household_size=household_size,
            referred_by=referred_by,
            campaign=campaign
            or campaign_for(country=country, region=region, day=timezone.localdate(moment)),
            narrative=narrative.strip() or None,
            triage_factors=dict.fromkeys(sorted(factors), True),
        )
        common.apply_priority(case, now=moment)
        case.save()
        common.event(
            case, CaseEvent.Kind.OPENED, actor=actor, to_stage=Stage.NEW, detail=source, at=moment
        )
        common.record(actor, "case.opened", case, request_id=request_id)
        _principal_for(case, person, channels, actor, request_id)
        rollups.case_added(case.pk)
        duplicates.duplicates_check(case=case, actor=actor, request_id=request_id)
    return case


def _principal_for(
    case: Case,
    person: PersonDetails,
    channels: list[ChannelDetails],
    actor: User,
    request_id: str | None,
) -> None:
    # Written as the case's own: the actor may not work the desk (a partner referring).
    from passage.cases.models import Person
    from passage.cases.services.people import write_channels, write_details

    principal = Person(case=case, is_principal=True, position=0)
    write_details(principal, person)
    principal.save()
    write_channels(principal, channels)


def case_open(
    *,
    desk: Desk,
    actor: User,
    person: PersonDetails,
    channels: list[ChannelDetails] | None = None,
    urgency: str = Case.Urgency.UNKNOWN,
    reply_language: str = "",
    country: str = "",
    region: str = "",
    household_size: int = 1,
    narrative: str = "",
    factors: set[str] | None = None,
    campaign: Campaign | None = None,
    source: str = Case.Source.STAFF,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Open a case entered by staff on one of their desks (or, with ``source="intake"``,
    from a screened help request: the intake issue calls this with the request's contents)."""
    if not actor.may(Perm.CASES_WORK) or not actor.memberships.filter(desk=desk).exists():
        raise NotAllowed(_("You can open cases only on your own desks."))
    if source not in {Case.Source.STAFF, Case.Source.INTAKE}:
        raise InvalidInput(_("Unknown source."))
    return _open(
        desk=desk,
        source=source,
        actor=actor,
        person=person,
        channels=channels or [],
        urgency=urgency,
        reply_language=reply_language,
        country=country,
        region=region,
        household_size=household_size,
        narrative=narrative,
        factors=factors or set(),
        referred_by=None,
        campaign=campaign,
        request_id=request_id,
        now=now,
    )


def case_open_from_request(**kwargs: object) -> Case:
    """What intake's screening calls: ``case_open`` with the request as its source."""
    return case_open(source=Case.Source.INTAKE, **kwargs)  # type: ignore[arg-type]


def referral_submit(
    *,
    actor: User,
    desk: Desk,
    person: PersonDetails,
    channels: list[ChannelDetails] | None = None,
    urgency: str = Case.Urgency.UNKNOWN,
    reply_language: str = "",
    country: str = "",
    region: str = "",
    household_size: int = 1,
    narrative: str = "",
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """A partner organisation's user refers a person into one of the organisation's desks.

    The case starts as "new" in that desk's inbox; the partner then sees its status (and only
    the sections staff later share with them under the person's consent).
    """
    partner = actor.partner
    if partner is None or not actor.may(Perm.PARTNER_PORTAL) or not partner.is_active:
        raise NotAllowed(_("Only people of a partner organisation can refer someone."))
    if not partner.desks.filter(pk=desk.pk).exists():
        raise NotAllowed(_("Your organisation does not work with this desk."))
    if not person.chosen_name.strip():
        raise InvalidInput(_("Give a name we can use for the person."))
    return _open(
        desk=desk,
        source=Case.Source.PARTNER,
        actor=actor,
        person=person,
        channels=channels or [],
        urgency=urgency,
        reply_language=reply_language,
        country=country,
        region=region,
        household_size=household_size,
        narrative=narrative,
        factors=set(),
        referred_by=partner,
        campaign=None,
        request_id=request_id,
        now=now,
    )


def household_member_add(
    *,
    case: Case,
    details: PersonDetails,
    channels: list[ChannelDetails] | None = None,
    actor: User,
    request_id: str | None = None,
) -> None:
    """Add a household member (a partner, a child...) to an open case."""
    if case.stage not in OPEN_STAGES:
        raise InvalidInput(_("The case is closed."))
    person_create(case=case, details=details, channels=channels, actor=actor, request_id=request_id)


def case_screen_open(*, case: Case, actor: User, request_id: str | None = None) -> Case:
    """A screener takes a new case (a referral, a staff entry) into screening, and takes it on
    if nobody has it yet."""
    from passage.cases.services import assignment, workflow

    if not (actor.may(Perm.REQUESTS_SCREEN) or actor.may(Perm.CASES_WORK)):
        raise NotAllowed(_("Your role does not allow screening."))
    with audit.atomic():
        if common.lock(case).stage != Stage.NEW:
            # Only a new case is screened; anything else would move it back or resume a pause.
            raise TransitionRefused(
                _("%(reference)s is not new any more: someone took it on.")
                % {"reference": case.reference}
            )
        moved = workflow.case_transition(
            case=case, to_stage=Stage.SCREENING, actor=actor, request_id=request_id
        )
        if moved.assignee_id is None and assignment.may_be_assigned(actor, moved):
            assignment.case_assign(case=moved, assignee=actor, actor=actor, request_id=request_id)
    moved.refresh_from_db()
    return moved


def case_narrative_set(
    *, case: Case, narrative: str, actor: User, request_id: str | None = None
) -> Case:
    """Replace what the case records of what happened (encrypted)."""
    from passage.cases import access

    access.require_working(actor, case)
    if len(narrative) > MAX_NARRATIVE:
        raise InvalidInput(_("The account is too long (at most 20,000 characters)."))
    with audit.atomic():
        locked = common.lock(case)
        locked.narrative = narrative.strip() or None
        locked.save(update_fields=["narrative"])
        common.event(locked, CaseEvent.Kind.PERSON, actor=actor, detail="narrative")
        common.record(actor, "case.narrative_changed", locked, request_id=request_id)
    return locked
