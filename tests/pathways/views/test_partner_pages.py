"""/staff/pathways/partners/: the directory for logistics; contact details on a partner's page
(recent second factor, each view audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import PartnerOrganisation, User
from passage.audit.models import AuditEntry
from passage.pathways.models import PartnerProfile
from tests.accounts.admin_support import age_second_factor
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, submit

pytestmark = pytest.mark.django_db

LIST = reverse("pathways:partners")
CONTACTS = "Embassy desk officer, +1 613 000 0000"


def detail(partner: PartnerOrganisation) -> str:
    return reverse("pathways:partner", args=[partner.pk])


def test_logistics_keeps_contact_details_and_each_view_is_recorded(
    signed_in: Signed, logistics: User, partner_org: PartnerOrganisation
) -> None:
    client = signed_in(logistics)
    assert "Regional network" in page(client, LIST)
    response = submit(client, detail(partner_org), {"trust_level": "trusted", "contacts": CONTACTS})
    assert response.status_code == 302
    assert PartnerProfile.objects.get().trust_level == "trusted"
    assert CONTACTS not in page(client, LIST)
    assert CONTACTS in page(client, detail(partner_org))
    assert (
        AuditEntry.objects.filter(
            action="partners.contacts_viewed", object_id=str(partner_org.pk)
        ).count()
        == 2
    )  # the form page before saving, and now


def test_the_partner_page_needs_a_recent_second_factor(
    signed_in: Signed, logistics: User, partner_org: PartnerOrganisation
) -> None:
    client = signed_in(logistics)
    age_second_factor(client, seconds=3600)
    response = client.get(detail(partner_org))
    assert response.status_code == 302 and "step-up" in response["Location"]
    assert not AuditEntry.objects.filter(action="partners.contacts_viewed").exists()


def test_others_are_refused(
    signed_in: Signed,
    caseworker: User,
    admin: User,
    logistics: User,
    south_partner_org: PartnerOrganisation,
    partner_org: PartnerOrganisation,
) -> None:
    for user in (caseworker, admin):
        page(signed_in(user), LIST, status=404)
        page(signed_in(user), detail(partner_org), status=404)
    page(signed_in(logistics), detail(south_partner_org), status=404)  # another desk's partner
