"""The partner directory's part of a partner: contact details and trust level.

Only holders of ``PARTNERS_CONTACTS`` (logistics) read or change them, and only for partners
of their desks (or partners that work with no desk in particular). Every reading of the contact
details is audited (``partners.contacts_viewed``), as is every change.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.exceptions import CaseNotFound, InvalidInput
from passage.pathways.models import PartnerProfile
from passage.pathways.queries import directory_partners
from passage.pathways.services.common import require, text


def _reachable(actor: User, partner: PartnerOrganisation) -> None:
    require(actor, Perm.PARTNERS_CONTACTS)
    if not directory_partners(actor).filter(pk=partner.pk).exists():
        raise CaseNotFound(_("No such partner organisation."))


def _record(actor: User, action: str, partner: PartnerOrganisation, request_id: str | None) -> None:
    audit.record(
        actor=audit.actor_for("user", actor.pk),
        action=action,
        object_type="accounts.partner",
        object_id=str(partner.pk),
        request_id=request_id,
    )


def profile_save(
    *,
    partner: PartnerOrganisation,
    actor: User,
    trust_level: str,
    contacts: str,
    request_id: str | None = None,
) -> PartnerProfile:
    _reachable(actor, partner)
    if trust_level not in PartnerProfile.Trust.values:
        raise InvalidInput(_("Choose a trust level."))
    contacts = text(contacts, limit=4000)
    with audit.atomic():
        PartnerOrganisation.objects.select_for_update().get(pk=partner.pk)
        profile, _created = PartnerProfile.objects.get_or_create(partner=partner)
        profile.trust_level = trust_level
        profile.contacts = contacts or None
        profile.updated_at = timezone.now()
        profile.updated_by = actor
        profile.save()
        _record(actor, "partners.profile_changed", partner, request_id)
    return profile


def contacts_read(
    *, partner: PartnerOrganisation, actor: User, request_id: str | None = None
) -> str:
    """The partner's contact details (decrypted), with the audit entry of this reading."""
    _reachable(actor, partner)
    profile = PartnerProfile.objects.filter(partner=partner).first()
    with audit.atomic():
        _record(actor, "partners.contacts_viewed", partner, request_id)
    return (profile.contacts or "") if profile else ""
