"""The partner portal /staff/partner/: referring a person into a desk of one's organisation,
the coarse status of one's referrals (never the stage), and only what staff shared under the
person's consent (each view recorded); nothing once the share is revoked or the case frozen."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.cases.models import Case, Person
from passage.cases.services import consent, opening, verification
from passage.cases.workflow import Stage
from tests.cases.conftest import channel, person
from tests.cases.helpers import fresh, move
from tests.cases.views.conftest import HANDLE, NAME, STORY, Signed
from tests.cases.views.support import (
    case_url,
    field_error,
    page,
    post,
    reads,
    submit,
    text_of,
)

pytestmark = pytest.mark.django_db

HOME = "/staff/partner/"
REFER = "/staff/partner/refer/"
REFERRED = "Amir Referred"


def referral_form(desk: Desk, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "desk": str(desk.pk),
        "urgency": "days",
        "chosen_name": REFERRED,
        "pronouns": "he/him",
        "country": "RU",
        "region": "Chechnya",
        "reply_language": "ru",
        "household_size": "1",
        "contact_kind": "signal",
        "contact_value": "+7 928 111-22-33",
        "narrative": "He was beaten at the checkpoint last week.",
    }
    data.update(overrides)
    return data


def partner_url(case: Case) -> str:
    return f"/staff/partner/cases/{case.pk}/"


@pytest.fixture
def referral(partner_user: User, desk_north: Desk) -> Case:
    return opening.referral_submit(
        actor=partner_user,
        desk=desk_north,
        person=person(REFERRED, pronouns="he/him", languages=["ru"]),
        channels=[channel("+7 928 111-22-33", "signal")],
        narrative="He was beaten at the checkpoint last week.",
    )


def share(case: Case, partner: PartnerOrganisation, actor: User, *sections: str) -> Any:
    consent.consent_record(
        case=case,
        recipient_kind=partner.kind,
        partner=partner,
        sections=set(sections),
        given_on=timezone.localdate(),
        how_given="on a call with the caseworker",
        actor=actor,
    )
    return consent.case_share(case=case, partner=partner, sections=set(sections), actor=actor)


# --- Referring -------------------------------------------------------------------------------


def test_a_partner_refers_a_person_into_a_desk_of_their_organisation(
    signed_in: Signed,
    partner_user: User,
    partner_org: PartnerOrganisation,
    desk_north: Desk,
    screener: User,
) -> None:
    client = signed_in(partner_user)
    form = page(client, REFER)
    assert desk_north.name in form
    response = submit(client, REFER, referral_form(desk_north))
    assert response.status_code == 302
    assert response["Location"] == HOME
    case = Case.objects.get()
    assert (case.desk, case.source, case.referred_by, case.stage) == (
        desk_north,
        Case.Source.PARTNER,
        partner_org,
        Stage.NEW,
    )
    assert case.narrative == "He was beaten at the checkpoint last week."
    [principal] = Person.objects.filter(case=case)
    assert principal.chosen_name == REFERRED
    assert [(c.kind, c.value) for c in principal.channels.all()] == [("signal", "+7 928 111-22-33")]
    home = page(client, HOME)
    assert f"Thank you. The referral {case.reference} reached the desk." in home
    assert case.reference in home
    assert ">Received<" in home
    # The desk sees it in its inbox, without the person's name.
    inbox = page(signed_in(screener), "/staff/inbox/")
    assert case.reference in inbox and REFERRED not in inbox


def test_a_forged_desk_is_refused_next_to_the_field(
    signed_in: Signed, partner_user: User, desk_south: Desk
) -> None:
    client = signed_in(partner_user)
    assert desk_south.name not in page(client, REFER)
    response = submit(client, REFER, referral_form(desk_south))
    assert response.status_code == 400
    content = text_of(response)
    assert "Select a valid choice." in field_error(content, "desk")
    assert f'value="{REFERRED}"' in content
    assert not Case.objects.exists()


def test_missing_name_and_a_contact_without_its_channel_are_errors(
    signed_in: Signed, partner_user: User, desk_north: Desk
) -> None:
    response = submit(
        signed_in(partner_user),
        REFER,
        referral_form(desk_north, chosen_name="", contact_kind=""),
    )
    assert response.status_code == 400
    content = text_of(response)
    assert field_error(content, "chosen_name") == "Give a name we can use."
    assert field_error(content, "contact_kind") == "Choose the channel of this number or handle."
    assert "He was beaten at the checkpoint last week.</textarea>" in content
    assert 'value="+7 928 111-22-33"' in content
    assert not Case.objects.exists()


def test_the_referral_form_asks_for_no_legal_name_orientation_or_location(
    signed_in: Signed, partner_user: User
) -> None:
    content = page(signed_in(partner_user), REFER)
    for absent in ("legal_name", "sexual_orientation", "gender_identity", "current_location"):
        assert f'name="{absent}"' not in content


# --- Status ----------------------------------------------------------------------------------


def test_the_status_is_coarse_and_never_the_stage(
    signed_in: Signed, partner_user: User, caseworker: User, referral: Case
) -> None:
    client = signed_in(partner_user)
    assert ">Received<" in page(client, partner_url(referral))
    move(referral, caseworker, Stage.SCREENING, Stage.VERIFICATION)
    for path in (HOME, partner_url(referral)):
        content = page(client, path)
        assert ">Being worked on<" in content
        for stage in ("Screening", "Verification", "screening", "verification"):
            assert stage not in content
    move(referral, caseworker, Stage.CLOSED)
    assert ">Closed<" in page(client, HOME)


def test_without_a_share_the_partner_sees_the_status_only_and_no_read_is_recorded(
    signed_in: Signed, partner_user: User, referral: Case
) -> None:
    content = page(signed_in(partner_user), partner_url(referral))
    assert referral.reference in content
    assert "Nothing of this case is shared with your organisation beyond its status." in content
    for secret in (REFERRED, "111-22-33", "checkpoint"):
        assert secret not in content
    assert reads(referral) == []


# --- Shared sections -------------------------------------------------------------------------


def test_shared_sections_show_and_each_view_is_recorded(
    signed_in: Signed,
    partner_user: User,
    partner_org: PartnerOrganisation,
    caseworker: User,
    referral: Case,
) -> None:
    share(referral, partner_org, caseworker, "person", "contact")
    client = signed_in(partner_user)
    content = page(client, partner_url(referral))
    assert REFERRED in content and "he/him" in content
    assert "+7 928 111-22-33" in content
    assert "checkpoint" not in content  # the story was not shared
    assert reads(referral) == ["case.section_viewed.partner_share"]
    page(client, partner_url(referral))
    assert reads(referral) == ["case.section_viewed.partner_share"] * 2


def test_a_case_shared_with_another_organisation_is_visible_to_it_until_revoked(
    signed_in: Signed,
    other_partner_user: User,
    other_partner_org: PartnerOrganisation,
    caseworker: User,
    north_case: Case,
) -> None:
    client = signed_in(other_partner_user)
    page(client, partner_url(north_case), status=404)
    shared = share(north_case, other_partner_org, caseworker, "narrative")
    assert north_case.reference in page(client, HOME)
    content = page(client, partner_url(north_case))
    assert STORY in content
    assert NAME not in content and HANDLE not in content  # person and contact were not shared
    assert reads(north_case) == ["case.section_viewed.partner_share"]

    consent.case_share_revoke(share=shared, actor=caseworker)
    page(client, partner_url(north_case), status=404)
    assert north_case.reference not in page(client, HOME)
    assert reads(north_case) == ["case.section_viewed.partner_share"]


def test_after_the_share_is_revoked_the_referring_partner_sees_the_status_only(
    signed_in: Signed,
    partner_user: User,
    partner_org: PartnerOrganisation,
    caseworker: User,
    referral: Case,
) -> None:
    shared = share(referral, partner_org, caseworker, "person")
    consent.case_share_revoke(share=shared, actor=caseworker)
    content = page(signed_in(partner_user), partner_url(referral))
    assert REFERRED not in content
    assert "Nothing of this case is shared" in content
    assert reads(referral) == []


def test_a_frozen_case_disappears_from_the_portal(
    signed_in: Signed,
    partner_user: User,
    partner_org: PartnerOrganisation,
    caseworker: User,
    verifier: User,
    referral: Case,
) -> None:
    share(referral, partner_org, caseworker, "person")
    verification.verification_outcome_record(
        case=referral,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="the referral came from a compromised account",
        actor=verifier,
    )
    client = signed_in(partner_user)
    page(client, partner_url(referral), status=404)
    assert referral.reference not in page(client, HOME)
    assert reads(referral) == []


def test_another_organisation_sees_nothing_of_a_referral(
    signed_in: Signed, other_partner_user: User, referral: Case
) -> None:
    client = signed_in(other_partner_user)
    page(client, partner_url(referral), status=404)
    assert referral.reference not in page(client, HOME)


# --- Staff and partners stay on their own pages ----------------------------------------------


@pytest.mark.parametrize("persona", ["caseworker", "desk_lead", "admin", "auditor"])
def test_staff_get_404_on_partner_pages(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, referral: Case
) -> None:
    user = request.getfixturevalue(persona)
    client = signed_in(user)
    for path in (HOME, REFER, partner_url(referral)):
        page(client, path, status=404)
    desk = referral.desk
    assert post(client, REFER, referral_form(desk)).status_code == 404
    assert Case.objects.count() == 1


def test_partners_get_404_on_staff_pages(
    signed_in: Signed,
    partner_user: User,
    partner_org: PartnerOrganisation,
    caseworker: User,
    referral: Case,
) -> None:
    share(referral, partner_org, caseworker, "person")
    client = signed_in(partner_user)
    for path in (
        "/staff/queue/",
        "/staff/inbox/",
        "/staff/cases/",
        "/staff/cases/new/",
        f"/staff/cases/search/?q={referral.reference}",
        "/staff/cases/break-glass/",
        "/staff/campaigns/",
    ):
        page(client, path, status=404)
    for name in (
        "case",
        "case-person",
        "case-triage",
        "case-verification",
        "case-approvals",
        "case-consent",
        "case-timeline",
        "transition",
    ):
        page(client, case_url(name, referral), status=404)
    assert (
        post(client, case_url("transition", referral), {"to_stage": "screening"}).status_code == 404
    )
    assert fresh(referral).stage == Stage.NEW
    assert reads(referral) == []
