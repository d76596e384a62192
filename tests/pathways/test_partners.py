"""services.partners: contact details and trust level, only for logistics of the partner's
desks, every reading audited."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.pathways.models import PartnerProfile
from passage.pathways.queries import directory
from passage.pathways.services.partners import contacts_read, profile_save
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

CONTACTS = "Lawyer Ivanova, Signal +7 900 000 00 00"


def test_logistics_keeps_and_reads_contacts_audited(
    logistics: User, partner_org: PartnerOrganisation
) -> None:
    profile_save(partner=partner_org, actor=logistics, trust_level="trusted", contacts=CONTACTS)
    assert PartnerProfile.objects.get().contacts == CONTACTS
    assert contacts_read(partner=partner_org, actor=logistics) == CONTACTS
    actions = AuditEntry.objects.filter(object_id=str(partner_org.pk)).values_list(
        "action", flat=True
    )
    assert list(actions) == ["partners.profile_changed", "partners.contacts_viewed"]
    assert [r.trust_level for r in directory(logistics)] == ["trusted"]


def test_other_roles_and_other_desks_are_refused(
    caseworker: User,
    partner_org: PartnerOrganisation,
    south_partner_org: PartnerOrganisation,
    desk_south: Desk,
    logistics: User,
) -> None:
    with pytest.raises(NotAllowed):
        contacts_read(partner=partner_org, actor=caseworker)
    with pytest.raises(CaseNotFound):
        profile_save(
            partner=south_partner_org, actor=logistics, trust_level="trusted", contacts="x"
        )
    assert [r.partner for r in directory(logistics)] == [partner_org]
    south = make_staff("south-logistics", Role.LOGISTICS, desks=(desk_south,))
    assert [r.partner for r in directory(south)] == [south_partner_org]
    with pytest.raises(InvalidInput):
        profile_save(partner=partner_org, actor=logistics, trust_level="blind", contacts="x")
    assert not AuditEntry.objects.filter(action__startswith="partners.").exists()


def test_a_partner_of_no_desk_is_in_every_directory(logistics: User) -> None:
    unhcr = PartnerOrganisation.objects.create(code="UNHCR-1", name="UNHCR office", kind="unhcr")
    assert unhcr in [r.partner for r in directory(logistics)]
