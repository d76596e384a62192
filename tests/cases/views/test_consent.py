"""Consent and sharing: the section /staff/cases/<id>/consent/ (one audited view), recording and
withdrawing consent, sharing with a partner (under consent, behind step-up) and revoking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import PartnerOrganisation, User
from passage.cases.models import Case, CaseShare, Consent
from passage.cases.services import consent, verification
from tests.cases.views.conftest import Signed
from tests.cases.views.support import (
    age_second_factor,
    case_url,
    field_error,
    page,
    post,
    reads,
    step_up_location,
    submit,
    text_of,
    top_errors,
)

pytestmark = pytest.mark.django_db

HOW = "on a Signal call with the caseworker, after the options were read out"


def consent_to(case: Case, partner: PartnerOrganisation, actor: User, *sections: str) -> Consent:
    return consent.consent_record(
        case=case,
        recipient_kind=partner.kind,
        partner=partner,
        sections=set(sections or ("person", "contact")),
        given_on=timezone.localdate(),
        how_given=HOW,
        actor=actor,
    )


def test_the_section_shows_consents_and_shares_and_is_one_audited_read(
    signed_in: Signed, caseworker: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    given = consent_to(north_case, partner_org, caseworker)
    consent.case_share(case=north_case, partner=partner_org, sections={"person"}, actor=caseworker)
    content = page(signed_in(caseworker), case_url("case-consent", north_case))
    assert HOW in content
    assert "P-001: Name, pronouns and languages" in content
    assert case_url("consent-withdraw", north_case, given.pk) in content
    assert case_url("share-add", north_case) in content
    assert reads(north_case) == ["case.section_viewed.consent"]


@pytest.mark.parametrize("persona", ["colleague", "partner_user", "auditor"])
def test_others_get_404(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, north_case: Case
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, case_url("case-consent", north_case), status=404)
    page(client, case_url("consent-add", north_case), status=404)
    assert reads(north_case) == []


def test_recording_consent_through_the_form(
    signed_in: Signed, caseworker: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker),
        case_url("consent-add", north_case),
        {
            "recipient_kind": "ngo",
            "partner": str(partner_org.pk),
            "sections": ["person", "needs"],
            "given_on": timezone.localdate().isoformat(),
            "how_given": HOW,
        },
    )
    assert response.status_code == 302
    [given] = Consent.objects.filter(case=north_case)
    assert (given.partner, given.sections, given.how_given) == (
        partner_org,
        ["needs", "person"],
        HOW,
    )


def test_consent_given_in_the_future_is_refused_keeping_what_was_typed(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = submit(
        signed_in(caseworker),
        case_url("consent-add", north_case),
        {
            "recipient_kind": "ngo",
            "sections": ["person"],
            "given_on": tomorrow.isoformat(),
            "how_given": HOW,
        },
    )
    assert response.status_code == 400
    content = text_of(response)
    assert top_errors(content) == ["The date consent was given cannot be in the future."]
    assert f"{HOW}</textarea>" in content
    assert f'value="{tomorrow.isoformat()}"' in content
    assert not Consent.objects.filter(case=north_case).exists()


def test_consent_without_parts_is_an_error_next_to_the_field(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker),
        case_url("consent-add", north_case),
        {"recipient_kind": "ngo", "given_on": "2026-01-01", "how_given": HOW},
    )
    assert response.status_code == 400
    assert field_error(text_of(response), "sections") == "Choose at least one part of the case."


def test_sharing_without_consent_is_refused(
    signed_in: Signed, caseworker: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker),
        case_url("share-add", north_case),
        {"partner": str(partner_org.pk), "sections": ["person"]},
    )
    assert response.status_code == 400
    assert top_errors(text_of(response)) == [
        "No consent of the person covers sharing this with P-001. Record their consent first "
        "(who may receive it and which parts)."
    ]
    assert not CaseShare.objects.exists()


def test_sharing_more_than_the_consent_covers_is_refused(
    signed_in: Signed, caseworker: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    consent_to(north_case, partner_org, caseworker, "person")
    response = submit(
        signed_in(caseworker),
        case_url("share-add", north_case),
        {"partner": str(partner_org.pk), "sections": ["person", "narrative"]},
    )
    assert response.status_code == 400
    assert "No consent of the person covers sharing this" in top_errors(text_of(response))[0]
    assert not CaseShare.objects.exists()


def test_sharing_under_consent_then_revoking(
    signed_in: Signed, caseworker: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    consent_to(north_case, partner_org, caseworker)
    client = signed_in(caseworker)
    response = submit(
        client,
        case_url("share-add", north_case),
        {"partner": str(partner_org.pk), "sections": ["person", "contact"]},
    )
    assert response.status_code == 302
    [share] = CaseShare.objects.filter(case=north_case)
    assert (share.partner, share.sections, share.revoked_at) == (
        partner_org,
        ["contact", "person"],
        None,
    )
    revoke = case_url("share-revoke", north_case, share.pk)
    assert submit(client, revoke).status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    again = post(client, revoke)
    assert again.status_code == 400
    assert top_errors(text_of(again)) == ["This share was revoked already."]


def test_only_partners_of_the_desk_can_be_chosen(
    signed_in: Signed,
    caseworker: User,
    partner_org: PartnerOrganisation,
    south_partner_org: PartnerOrganisation,
    north_case: Case,
) -> None:
    client = signed_in(caseworker)
    form = page(client, case_url("share-add", north_case))
    assert "P-001" in form and "P-003" not in form
    response = submit(
        client,
        case_url("share-add", north_case),
        {"partner": str(south_partner_org.pk), "sections": ["person"]},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(text_of(response), "partner")


def test_a_frozen_case_shares_nothing(
    signed_in: Signed,
    caseworker: User,
    verifier: User,
    partner_org: PartnerOrganisation,
    north_case: Case,
) -> None:
    consent_to(north_case, partner_org, caseworker)
    verification.verification_outcome_record(
        case=north_case,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="the number belongs to a police officer",
        actor=verifier,
    )
    client = signed_in(caseworker)
    assert case_url("share-add", north_case) not in page(
        client, case_url("case-consent", north_case)
    )
    response = submit(
        client,
        case_url("share-add", north_case),
        {"partner": str(partner_org.pk), "sections": ["person"]},
    )
    assert response.status_code == 400
    assert top_errors(text_of(response)) == ["The case is frozen: nothing is shared while it is."]
    assert not CaseShare.objects.exists()


def test_sharing_asks_for_a_fresh_second_factor(
    signed_in: Signed, caseworker: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    consent_to(north_case, partner_org, caseworker)
    client = signed_in(caseworker)
    age_second_factor(client)
    path = case_url("share-add", north_case)
    assert client.get(path)["Location"] == step_up_location(path)
    response = post(client, path, {"partner": str(partner_org.pk), "sections": ["person"]})
    assert response.status_code == 302
    assert response["Location"] == step_up_location(path)
    assert not CaseShare.objects.exists()


def test_withdrawing_consent_revokes_its_shares(
    signed_in: Signed, caseworker: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    given = consent_to(north_case, partner_org, caseworker)
    share = consent.case_share(
        case=north_case, partner=partner_org, sections={"person"}, actor=caseworker
    )
    client = signed_in(caseworker)
    response = submit(client, case_url("consent-withdraw", north_case, given.pk))
    assert response.status_code == 302
    assert "Consent withdrawn; 1 share(s) revoked." in page(client, response["Location"])
    share.refresh_from_db()
    given.refresh_from_db()
    assert share.revoked_at is not None and given.withdrawn_at is not None


def test_a_colleague_cannot_share_or_withdraw(
    signed_in: Signed,
    caseworker: User,
    colleague: User,
    partner_org: PartnerOrganisation,
    north_case: Case,
) -> None:
    given = consent_to(north_case, partner_org, caseworker)
    client = signed_in(colleague)
    data = {"partner": str(partner_org.pk), "sections": ["person"]}
    assert post(client, case_url("share-add", north_case), data).status_code == 404
    assert post(client, case_url("consent-withdraw", north_case, given.pk)).status_code == 404
    assert not CaseShare.objects.exists()
    given.refresh_from_db()
    assert given.withdrawn_at is None
