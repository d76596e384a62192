"""Approvals: the section /staff/cases/<id>/approvals/ (one audited view), requesting
relocation and emergency help, deciding (four eyes, behind step-up), withdrawing, reviewing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.cases.models import Approval, Case
from passage.cases.services import approvals
from passage.cases.workflow import Stage
from tests.cases.helpers import fresh, to_assessment
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
    token_in,
    top_errors,
)

pytestmark = pytest.mark.django_db

READY = "verified, pathway found, ready to plan"


@pytest.fixture
def assessed(north_case: Case, caseworker: User, verifier: User) -> Case:
    """The North case, verified and in assessment."""
    return to_assessment(north_case, caseworker, verifier)


def relocation(case: Case, requester: User) -> Approval:
    return approvals.relocation_request(case=case, comment=READY, actor=requester)


def decide_url(approval: Approval) -> str:
    return case_url("approval-decide", approval.case, approval.pk)


# --- The section -----------------------------------------------------------------------------


def test_the_section_lists_approvals_with_comments_and_is_one_audited_read(
    signed_in: Signed, caseworker: User, verifier: User, assessed: Case
) -> None:
    approval = relocation(assessed, caseworker)
    before = len(reads(assessed))
    content = page(signed_in(verifier), case_url("case-approvals", assessed))
    assert READY in content
    assert "Waiting for a decision" in content
    assert decide_url(approval) in content
    assert reads(assessed)[before:] == ["case.section_viewed.approvals"]


def test_the_requester_sees_why_they_cannot_decide(
    signed_in: Signed, verifier: User, assessed: Case
) -> None:
    approval = relocation(assessed, verifier)
    content = page(signed_in(verifier), case_url("case-approvals", assessed))
    assert decide_url(approval) not in content
    assert "You asked for this approval: a different person must decide it." in content


@pytest.mark.parametrize("persona", ["colleague", "partner_user", "auditor"])
def test_others_get_404(
    request: pytest.FixtureRequest,
    signed_in: Signed,
    persona: str,
    caseworker: User,
    assessed: Case,
) -> None:
    approval = relocation(assessed, caseworker)
    before = reads(assessed)
    client = signed_in(request.getfixturevalue(persona))
    page(client, case_url("case-approvals", assessed), status=404)
    page(client, decide_url(approval), status=404)
    response = post(client, decide_url(approval), {"decision": "approve"})
    assert response.status_code == 404
    assert reads(assessed) == before
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING


# --- Requesting relocation -------------------------------------------------------------------


def test_requesting_relocation_through_the_form(
    signed_in: Signed, caseworker: User, assessed: Case
) -> None:
    client = signed_in(caseworker)
    response = submit(client, case_url("relocation-request", assessed), {"comment": READY})
    assert response.status_code == 302
    assert response["Location"] == case_url("case-approvals", assessed)
    [approval] = Approval.objects.filter(case=assessed)
    assert (approval.kind, approval.status) == (Approval.Kind.RELOCATION, Approval.Status.PENDING)
    assert (approval.requested_by, approval.request_comment) == (caseworker, READY)


def test_relocation_without_verification_is_refused(
    signed_in: Signed, caseworker: User, verifier: User, north_case: Case
) -> None:
    case = to_assessment(north_case, caseworker, verifier, verified=False)
    response = submit(
        signed_in(caseworker), case_url("relocation-request", case), {"comment": READY}
    )
    assert response.status_code == 400
    content = text_of(response)
    assert top_errors(content) == [
        "Relocation can be requested only after verification has the outcome “Verified”."
    ]
    assert f"{READY}</textarea>" in content
    assert not Approval.objects.filter(case=case).exists()


def test_relocation_for_a_case_not_in_assessment_is_refused(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = post(
        signed_in(caseworker), case_url("relocation-request", north_case), {"comment": READY}
    )
    assert response.status_code == 400
    assert top_errors(text_of(response)) == ["Relocation is requested for a case in assessment."]


def test_an_empty_comment_is_next_to_the_field(
    signed_in: Signed, caseworker: User, assessed: Case
) -> None:
    response = submit(
        signed_in(caseworker), case_url("relocation-request", assessed), {"comment": ""}
    )
    assert response.status_code == 400
    assert field_error(text_of(response), "comment") == "This field is required."


# --- Deciding --------------------------------------------------------------------------------


def test_a_second_verifier_approves_and_the_case_moves_on(
    signed_in: Signed, caseworker: User, verifier: User, assessed: Case
) -> None:
    approval = relocation(assessed, caseworker)
    client = signed_in(verifier)
    before = len(reads(assessed))
    form = page(client, decide_url(approval))
    assert READY in form
    assert reads(assessed)[before:] == ["case.section_viewed.approvals"]
    response = submit(
        client, decide_url(approval), {"decision": "approve", "comment": "all in order"}
    )
    assert response.status_code == 302
    assert response["Location"] == case_url("case-approvals", assessed)
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by) == (Approval.Status.APPROVED, verifier)
    assert fresh(assessed).stage == Stage.APPROVED


def test_the_requester_cannot_approve_their_own_request(
    signed_in: Signed, verifier: User, assessed: Case
) -> None:
    approval = relocation(assessed, verifier)
    client = signed_in(verifier)
    before = len(reads(assessed))
    form = page(client, decide_url(approval))
    assert "You asked for this approval: a different person must decide it." in form
    assert len(reads(assessed)) == before + 1
    response = client.post(
        decide_url(approval),
        {"csrfmiddlewaretoken": token_in(form), "decision": "approve", "comment": ""},
    )
    assert response.status_code == 400
    content = text_of(response)
    assert top_errors(content) == [
        "You asked for this approval: a different person must decide it."
    ]
    # The refused form shows the request's comment again: the case's protected sections were
    # revealed in this sign-in already (the GET), so no second entry (one per case per sign-in).
    assert READY in content
    assert reads(assessed)[before:] == ["case.section_viewed.approvals"]
    approval.refresh_from_db()
    assert approval.status == Approval.Status.PENDING
    assert fresh(assessed).stage == Stage.ASSESSMENT


def test_a_caseworker_cannot_approve_relocation(
    signed_in: Signed, caseworker: User, caseworker2: User, assessed: Case
) -> None:
    approval = relocation(assessed, caseworker)
    response = submit(signed_in(caseworker2), decide_url(approval), {"decision": "approve"})
    assert response.status_code == 400
    message = approvals.decision_refusal(approval, caseworker2)
    assert message and "Only a verifier" in message and "can approve relocation" in message
    assert top_errors(text_of(response)) == [message]
    assert fresh(assessed).stage == Stage.ASSESSMENT


def test_a_rejection_needs_a_comment_and_keeps_the_choice(
    signed_in: Signed, caseworker: User, verifier: User, assessed: Case
) -> None:
    approval = relocation(assessed, caseworker)
    client = signed_in(verifier)
    refused = submit(client, decide_url(approval), {"decision": "reject", "comment": "no"})
    assert refused.status_code == 400
    content = text_of(refused)
    assert top_errors(content) == ["Say why you reject it (10 characters or more)."]
    assert re.search(r'<input type="radio" name="decision" value="reject"[^>]* checked>', content)
    missing = submit(client, decide_url(approval), {"comment": ""})
    assert missing.status_code == 400
    assert field_error(text_of(missing), "decision") == "This field is required."

    done = submit(
        client, decide_url(approval), {"decision": "reject", "comment": "the pathway fell through"}
    )
    assert done.status_code == 302
    approval.refresh_from_db()
    assert approval.status == Approval.Status.REJECTED
    assert approval.decision_comment == "the pathway fell through"
    assert fresh(assessed).stage == Stage.ASSESSMENT


def test_deciding_asks_for_a_fresh_second_factor(
    signed_in: Signed, caseworker: User, verifier: User, assessed: Case
) -> None:
    approval = relocation(assessed, caseworker)
    client = signed_in(verifier)
    age_second_factor(client)
    page(client, case_url("case-approvals", assessed))  # reading needs no step-up
    before = reads(assessed)
    response = client.get(decide_url(approval))
    assert response.status_code == 302
    assert response["Location"] == step_up_location(decide_url(approval))
    response = post(client, decide_url(approval), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == step_up_location(decide_url(approval))
    approval.refresh_from_db()
    assert approval.status == Approval.Status.PENDING
    assert reads(assessed) == before  # nothing was shown


# --- Emergency help --------------------------------------------------------------------------


def test_emergency_help_is_capped_and_approved_by_the_desk_lead(
    signed_in: Signed, caseworker: User, desk_lead: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    path = case_url("emergency-request", north_case)
    over = submit(
        client, path, {"amount": "301", "purpose": "transport", "comment": "bus out tonight"}
    )
    assert over.status_code == 400
    content = text_of(over)
    assert field_error(content, "amount") == "Ensure this value is less than or equal to 300."
    assert "bus out tonight</textarea>" in content
    assert not Approval.objects.filter(case=north_case).exists()

    done = submit(
        client, path, {"amount": "120", "purpose": "transport", "comment": "bus out tonight"}
    )
    assert done.status_code == 302
    [approval] = Approval.objects.filter(case=north_case)
    assert (approval.kind, approval.amount, approval.currency) == (
        Approval.Kind.EMERGENCY,
        120,
        "EUR",
    )
    decided = submit(
        signed_in(desk_lead), decide_url(approval), {"decision": "approve", "comment": ""}
    )
    assert decided.status_code == 302
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED
    assert approval.review_due_at is not None

    review = case_url("emergency-review", north_case, approval.pk)
    short = submit(client, review, {"comment": "ok"})
    assert short.status_code == 400
    assert top_errors(text_of(short)) == ["Write what the review found (10 characters or more)."]
    assert submit(client, review, {"comment": "reached the border safely"}).status_code == 302
    approval.refresh_from_db()
    assert approval.review_note == "reached the border safely"


def test_emergency_help_without_the_desk_lead_is_refused(
    signed_in: Signed, caseworker: User, caseworker2: User, north_case: Case
) -> None:
    approval = approvals.emergency_request(
        case=north_case, amount=50, purpose="phone", comment="a safe SIM card now", actor=caseworker
    )
    response = submit(signed_in(caseworker2), decide_url(approval), {"decision": "approve"})
    assert response.status_code == 400
    assert top_errors(text_of(response)) == [
        "Emergency help needs the lead of this case's desk as one of the two people."
    ]


def test_withdrawing_a_request(
    signed_in: Signed, caseworker: User, caseworker2: User, assessed: Case
) -> None:
    approval = relocation(assessed, caseworker)
    path = case_url("approval-withdraw", assessed, approval.pk)
    refused = submit(signed_in(caseworker2), path)
    assert refused.status_code == 400
    assert top_errors(text_of(refused)) == [
        "Only the person who asked, or the desk lead, can withdraw it."
    ]
    assert submit(signed_in(caseworker), path).status_code == 302
    approval.refresh_from_db()
    assert approval.status == Approval.Status.WITHDRAWN
    again = post(signed_in(caseworker), path)
    assert again.status_code == 400
    assert top_errors(text_of(again)) == ["This approval was decided already."]


def test_an_approval_of_another_case_is_404(
    signed_in: Signed,
    caseworker: User,
    verifier: User,
    assessed: Case,
    open_case: Callable[..., Case],
) -> None:
    other = open_case("Someone Else")
    approval = relocation(assessed, caseworker)
    page(signed_in(verifier), case_url("approval-decide", other, approval.pk), status=404)
