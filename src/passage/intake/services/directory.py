"""The referral directory: vetted organisations per country and kind of help."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.choices import country_codes
from passage.intake.exceptions import ActionRefused, InvalidInput
from passage.intake.models import ReferralOrganisation


def _check(actor: User) -> None:
    if not actor.may(Perm.REFERRALS_MANAGE):
        raise ActionRefused(_("Only screeners and admins keep the referral directory."))


def referral_save(
    *,
    actor: User,
    organisation: ReferralOrganisation | None = None,
    country: str,
    kinds: list[str],
    name: str,
    contact: str,
    notes: str = "",
    last_checked: dt.date | None = None,
    is_active: bool = True,
) -> ReferralOrganisation:
    """Add an organisation to the directory, or change one."""
    _check(actor)
    country = country.upper()
    if country not in country_codes():
        raise InvalidInput(_("Choose a country."))
    unknown = set(kinds) - set(ReferralOrganisation.Help.values)
    if not kinds or unknown:
        raise InvalidInput(_("Choose at least one kind of help."))
    if not name.strip() or not contact.strip():
        raise InvalidInput(_("Give the organisation's name and how to reach it."))
    checked = last_checked or timezone.localdate()
    if checked > timezone.localdate():
        raise InvalidInput(_("The date it was checked cannot be in the future."))
    with audit.atomic():
        row = organisation or ReferralOrganisation()
        row.country = country
        row.kinds = sorted(set(kinds))
        row.name = name.strip()
        row.contact = contact.strip()
        row.details = {"notes": notes.strip()}
        row.last_checked = checked
        row.is_active = is_active
        row.save()
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="referral.change" if organisation else "referral.add",
            object_type="referral",
            object_id=str(row.pk),
        )
    return row


def referral_mark_checked(*, actor: User, organisation: ReferralOrganisation) -> None:
    """Someone checked today that the organisation still helps, and how to reach it."""
    _check(actor)
    with audit.atomic():
        ReferralOrganisation.objects.filter(pk=organisation.pk).update(
            last_checked=timezone.localdate()
        )
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="referral.checked",
            object_type="referral",
            object_id=str(organisation.pk),
        )
