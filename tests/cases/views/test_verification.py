"""The verification section /staff/cases/<id>/verification/ (one audited view), recording
checks and the outcome, and unfreezing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import PartnerOrganisation, User
from passage.cases.models import Case, VerificationItem
from passage.cases.services import verification
from tests.cases.helpers import fresh, interview
from tests.cases.views.conftest import Signed
from tests.cases.views.support import case_url, field_error, page, post, reads, submit, top_errors

pytestmark = pytest.mark.django_db

HOSTILE_NOTE = "the number belongs to a police officer"


def freeze(case: Case, verifier: User) -> Case:
    return verification.verification_outcome_record(
        case=case, outcome=Case.Verification.SUSPECTED_HOSTILE, note=HOSTILE_NOTE, actor=verifier
    )


def test_the_section_shows_the_checks_decrypted_and_is_one_audited_read(
    signed_in: Signed, verifier: User, partner_org: PartnerOrganisation, north_case: Case
) -> None:
    verification.verification_item_add(
        case=north_case,
        kind=VerificationItem.Kind.VOUCH,
        details={"contact_person": "Aslan from the network"},
        vouching_partner=partner_org,
        note="knows him since 2015",
        actor=verifier,
    )
    content = page(signed_in(verifier), case_url("case-verification", north_case))
    assert "P-001: Aslan from the network" in content
    assert "knows him since 2015" in content
    assert case_url("verification-add", north_case, "interview") in content
    assert reads(north_case) == ["case.section_viewed.verification"]


@pytest.mark.parametrize("persona", ["colleague", "partner_user", "auditor"])
def test_others_get_404(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, north_case: Case
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, case_url("case-verification", north_case), status=404)
    assert reads(north_case) == []


def test_a_caseworker_reads_the_checks_but_cannot_add_one(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    content = page(client, case_url("case-verification", north_case))
    assert case_url("verification-add", north_case, "interview") not in content
    page(client, case_url("verification-add", north_case, "interview"), status=404)
    response = post(client, case_url("verification-outcome", north_case), {"outcome": "verified"})
    assert response.status_code == 404


def test_recording_an_interview(signed_in: Signed, verifier: User, north_case: Case) -> None:
    client = signed_in(verifier)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = submit(
        client,
        case_url("verification-add", north_case, "interview"),
        {
            "held_on": yesterday.isoformat(),
            "channel": "video",
            "interviewer": str(verifier.pk),
            "note": "details of the raid match",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == case_url("case-verification", north_case)
    [item] = VerificationItem.objects.filter(case=north_case)
    assert item.kind == VerificationItem.Kind.INTERVIEW
    assert item.details == {"held_on": yesterday.isoformat(), "channel": "video"}
    assert (item.interviewer, item.note) == (verifier, "details of the raid match")


def test_an_interview_in_the_future_is_an_error_next_to_the_date(
    signed_in: Signed, verifier: User, north_case: Case
) -> None:
    response = submit(
        signed_in(verifier),
        case_url("verification-add", north_case, "interview"),
        {
            "held_on": "2999-01-01",
            "channel": "video",
            "interviewer": str(verifier.pk),
            "note": "typed note",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert field_error(content, "held_on") == "The interview cannot be in the future."
    assert "typed note</textarea>" in content
    assert not VerificationItem.objects.filter(case=north_case).exists()


def test_a_red_flag_other_needs_a_note(signed_in: Signed, verifier: User, north_case: Case) -> None:
    client = signed_in(verifier)
    path = case_url("verification-add", north_case, "red_flag")
    missing = submit(client, path, {"note": ""})
    assert missing.status_code == 400
    assert field_error(missing.content.decode(), "flags") == "Tick at least one warning sign."
    refused = submit(client, path, {"flags": ["other"], "note": ""})
    assert refused.status_code == 400
    assert top_errors(refused.content.decode()) == ["Describe the other warning sign in the note."]
    assert not VerificationItem.objects.filter(case=north_case).exists()


def test_an_unknown_kind_of_check_is_404(
    signed_in: Signed, verifier: User, north_case: Case
) -> None:
    page(signed_in(verifier), case_url("verification-add", north_case, "astrology"), status=404)


def test_verified_needs_a_check_first(signed_in: Signed, verifier: User, north_case: Case) -> None:
    client = signed_in(verifier)
    path = case_url("verification-outcome", north_case)
    data = {"outcome": "verified", "note": "the partner vouched on the phone"}
    refused = submit(client, path, data)
    assert refused.status_code == 400
    content = refused.content.decode()
    assert top_errors(content) == [
        "Record at least one check (a vouch, an interview, a document) before verifying."
    ]
    assert "the partner vouched on the phone</textarea>" in content
    assert fresh(north_case).verification_outcome == ""

    interview(north_case, verifier)
    assert submit(client, path, data).status_code == 302
    assert fresh(north_case).verification_outcome == Case.Verification.VERIFIED


def test_a_short_note_is_refused(signed_in: Signed, verifier: User, north_case: Case) -> None:
    response = submit(
        signed_in(verifier),
        case_url("verification-outcome", north_case),
        {"outcome": "not_verified", "note": "no"},
    )
    assert response.status_code == 400
    assert top_errors(response.content.decode()) == [
        "Explain the outcome (at least 10 characters)."
    ]


def test_suspected_hostile_freezes_and_only_the_desk_lead_unfreezes(
    signed_in: Signed, verifier: User, desk_lead: User, caseworker: User, north_case: Case
) -> None:
    response = submit(
        signed_in(verifier),
        case_url("verification-outcome", north_case),
        {"outcome": "suspected_hostile", "note": HOSTILE_NOTE},
    )
    assert response.status_code == 302
    assert fresh(north_case).is_frozen

    page(signed_in(caseworker), case_url("unfreeze", north_case), status=404)
    lead = signed_in(desk_lead)
    assert case_url("unfreeze", north_case) in page(lead, case_url("case-verification", north_case))
    path = case_url("unfreeze", north_case)
    refused = submit(lead, path, {"reason": "the officer's number was a mistake"})
    assert refused.status_code == 400
    assert top_errors(refused.content.decode()) == [
        "Verification still says “suspected hostile”: record a new outcome first."
    ]
    assert fresh(north_case).is_frozen

    verification.verification_outcome_record(
        case=north_case,
        outcome=Case.Verification.NOT_VERIFIED,
        note="the number was reassigned; checking again",
        actor=verifier,
    )
    done = submit(lead, path, {"reason": "the officer's number was a mistake"})
    assert done.status_code == 302
    assert not fresh(north_case).is_frozen


def test_an_empty_unfreeze_reason_is_next_to_the_field(
    signed_in: Signed, verifier: User, desk_lead: User, north_case: Case
) -> None:
    freeze(north_case, verifier)
    response = submit(signed_in(desk_lead), case_url("unfreeze", north_case), {"reason": ""})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "reason") == "This field is required."
