"""People of a case and their contact channels: add, change, remove (each audited).

Every change of a person re-runs the duplicate check (``services.duplicates``), so a handle,
a phone number or a name with a birth date that another case already has is flagged on both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.cases import access, rollups
from passage.cases.categories import GenderCategory, OrientationCategory
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case, CaseEvent, ContactChannel, Person
from passage.cases.services import common
from passage.crypto import blind

MAX_AGE = 120


@dataclass
class ChannelDetails:
    kind: str
    value: str
    note: str = ""


@dataclass
class PersonDetails:
    """What staff (or a partner's referral) tell us about one person. Empty means unknown."""

    chosen_name: str = ""
    pronouns: str = ""
    legal_name: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: dt.date | None = None
    age_years: int | None = None
    nationality: str = ""
    languages: list[str] = field(default_factory=list)
    gender_identity: str = ""
    sexual_orientation: str = ""
    # The coarse categories the person chose (``cases.categories``; "" = not recorded).
    gender_category: str = ""
    orientation_category: str = ""
    relationship: str = ""
    current_location: str = ""
    health_needs: str = ""
    protection_needs: str = ""

    def check(self) -> None:
        if self.age_years is not None and not 0 <= self.age_years <= MAX_AGE:
            raise InvalidInput(_("Give an age between 0 and 120."))
        if self.birth_date is not None and self.birth_date > dt.date.today():  # noqa: DTZ011 -- a calendar date
            raise InvalidInput(_("The date of birth cannot be in the future."))
        if self.gender_category and self.gender_category not in GenderCategory.values:
            raise InvalidInput(_("Choose a gender identity category from the list."))
        if (
            self.orientation_category
            and self.orientation_category not in OrientationCategory.values
        ):
            raise InvalidInput(_("Choose a sexual orientation category from the list."))


TEXT_FIELDS = (
    "chosen_name",
    "pronouns",
    "legal_name",
    "nationality",
    "gender_identity",
    "sexual_orientation",
    "gender_category",
    "orientation_category",
    "relationship",
    "current_location",
    "health_needs",
    "protection_needs",
)


def write_details(person: Person, details: PersonDetails) -> None:
    """Put ``details`` into ``person`` (in memory; encrypted on save)."""
    details.check()
    for name in TEXT_FIELDS:
        value = getattr(details, name).strip()
        setattr(person, name, value or None)
    aliases = [a.strip() for a in details.aliases if a.strip()]
    person.aliases = aliases or None
    person.birth_date = details.birth_date.isoformat() if details.birth_date else None
    person.age_years = details.age_years
    languages = [code.strip() for code in details.languages if code.strip()]
    person.languages = languages or None


def _forget_cleared(person: Person) -> None:
    """Drop the blind-index rows of indexed fields that are now empty.

    Saving an empty (None) value writes no ciphertext and so never reaches the index: without
    this, a removed name or birth date would still find the person and flag duplicates.
    """
    cleared = {
        f.name: None
        for f in Person.encrypted_fields()
        if f.blind_scopes and person.__dict__.get(f.attname) is None
    }
    if cleared:
        blind.index_row(person, cleared)


def write_channels(person: Person, channels: list[ChannelDetails]) -> None:
    """Replace the person's contact channels (a saved person) with ``channels``."""
    for old in person.channels.all():
        old.delete()  # drops its blind-index rows too
    for channel in channels:
        value = channel.value.strip()
        if not value:
            continue
        if channel.kind not in ContactChannel.Kind.values:
            raise InvalidInput(_("Unknown contact channel."))
        ContactChannel.objects.create(
            person=person, kind=channel.kind, value=value, note=channel.note.strip() or None
        )


def details_of(person: Person) -> PersonDetails:
    """A person's current details (decrypted), e.g. to fill an edit form."""
    birth = dt.date.fromisoformat(person.birth_date) if person.birth_date else None
    return PersonDetails(
        **{name: getattr(person, name) or "" for name in TEXT_FIELDS},
        aliases=list(person.aliases or []),
        birth_date=birth,
        age_years=person.age_years,
        languages=list(person.languages or []),
    )


def person_create(
    *,
    case: Case,
    details: PersonDetails,
    channels: list[ChannelDetails] | None = None,
    principal: bool = False,
    actor: User,
    request_id: str | None = None,
    check_duplicates: bool = True,
) -> Person:
    """Add a person (the principal, or a household member) to ``case``."""
    from passage.cases.services import duplicates

    access.require_working(actor, case)
    with audit.atomic():
        locked = common.lock(case)
        counted = rollups.before(locked.pk)
        if principal and locked.people.filter(is_principal=True).exists():
            raise InvalidInput(_("This case has its principal already."))
        position = locked.people.count()
        person = Person(case=locked, is_principal=principal, position=position)
        write_details(person, details)
        person.save()
        write_channels(person, channels or [])
        if locked.people.count() > locked.household_size:
            locked.household_size = locked.people.count()
            locked.save(update_fields=["household_size"])
        common.event(locked, CaseEvent.Kind.PERSON, actor=actor, detail="added")
        common.record(actor, "case.person_added", locked, request_id=request_id)
        rollups.after(counted)
        if check_duplicates:
            duplicates.duplicates_check(case=locked, actor=actor, request_id=request_id)
    return person


def person_change(
    *,
    person: Person,
    details: PersonDetails,
    channels: list[ChannelDetails] | None = None,
    actor: User,
    request_id: str | None = None,
) -> Person:
    """Change a person's details (and, if given, replace their contact channels)."""
    from passage.cases.services import duplicates

    case = person.case
    access.require_working(actor, case)
    with audit.atomic():
        locked = common.lock(case)
        counted = rollups.before(locked.pk)
        person = Person.objects.get(pk=person.pk, case=locked)
        write_details(person, details)
        person.save()
        _forget_cleared(person)
        if channels is not None:
            write_channels(person, channels)
        common.event(locked, CaseEvent.Kind.PERSON, actor=actor, detail="changed")
        common.record(actor, "case.person_changed", locked, request_id=request_id)
        rollups.after(counted)
        duplicates.duplicates_check(case=locked, actor=actor, request_id=request_id)
    return person


def person_remove(*, person: Person, actor: User, request_id: str | None = None) -> None:
    """Remove a household member (never the principal)."""
    case = person.case
    access.require_working(actor, case)
    if person.is_principal:
        raise InvalidInput(_("The principal cannot be removed from the case."))
    with audit.atomic():
        locked = common.lock(case)
        person = Person.objects.get(pk=person.pk, case=locked)
        for channel in person.channels.all():
            channel.delete()  # one by one, so their blind-index rows go too
        person.delete()
        common.event(locked, CaseEvent.Kind.PERSON, actor=actor, detail="removed")
        common.record(actor, "case.person_removed", locked, request_id=request_id)
