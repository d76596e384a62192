"""Moving a case: /staff/cases/<id>/move/ offers the moves the workflow allows, and a forged
POST of any other move is refused with the workflow's reason (400), never a 500."""

from __future__ import annotations

import re

import pytest

from passage.accounts.models import User
from passage.cases.models import Case, CaseEvent
from passage.cases.services import verification
from passage.cases.workflow import Stage
from tests.cases.helpers import fresh, move, raw_value, to_stage
from tests.cases.views.conftest import Signed
from tests.cases.views.support import (
    case_url,
    field_error,
    page,
    post,
    submit,
    token_in,
    top_errors,
)

pytestmark = pytest.mark.django_db


def offered(content: str) -> list[str]:
    """The stages the form's "Move to" list offers."""
    select = re.search(r'<select name="to_stage".*?</select>', content, re.DOTALL)
    assert select, "no stage choice on the page"
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_the_form_offers_the_allowed_moves(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = page(signed_in(caseworker), case_url("transition", north_case))
    assert offered(content) == [
        Stage.SCREENING,
        Stage.ON_HOLD,
        Stage.LOST_CONTACT,
        Stage.DECLINED,
        Stage.REFERRED_OUT,
        Stage.CLOSED,
    ]


def test_a_move_through_the_form_is_recorded_with_its_reason(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = submit(
        client,
        case_url("transition", north_case) + "?to=screening",
        {"to_stage": "screening", "reason": "", "outcome": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == case_url("case", north_case)
    assert fresh(north_case).stage == Stage.SCREENING
    assert "Stage changed." in page(client, response["Location"])

    response = submit(
        client,
        case_url("transition", north_case),
        {"to_stage": "on_hold", "reason": "waiting for the partner to call back"},
    )
    assert response.status_code == 302
    case = fresh(north_case)
    assert (case.stage, case.paused_from) == (Stage.ON_HOLD, Stage.SCREENING)
    event = CaseEvent.objects.filter(case=case, to_stage=Stage.ON_HOLD).get()
    assert event.note == "waiting for the partner to call back"
    stored = raw_value("cases_caseevent", "note", event.pk)
    assert isinstance(stored, bytes) and b"partner" not in stored


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ("arrived", "A case in “New” cannot be moved to “Arrived”."),
        ("approved", "A case in “New” cannot be moved to “Approved”."),
        ("flying", "Unknown stage."),
    ],
)
def test_a_forged_move_is_refused_with_the_reason(
    signed_in: Signed, caseworker: User, north_case: Case, stage: str, message: str
) -> None:
    response = post(
        signed_in(caseworker),
        case_url("transition", north_case),
        {"to_stage": stage, "reason": "forged"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert top_errors(content) == [message]
    assert field_error(content, "to_stage") == ""
    assert fresh(north_case).stage == Stage.NEW


def test_approving_by_a_plain_move_is_refused(
    signed_in: Signed, caseworker: User, verifier: User, north_case: Case
) -> None:
    case = to_stage(north_case, caseworker, verifier, Stage.ASSESSMENT)
    response = post(signed_in(caseworker), case_url("transition", case), {"to_stage": "approved"})
    assert response.status_code == 400
    assert top_errors(response.content.decode()) == [
        "Moving to “Approved” needs four eyes: request a relocation approval, and a different "
        "person with the verifier role approves it."
    ]
    assert fresh(case).stage == Stage.ASSESSMENT
    content = page(signed_in(caseworker), case_url("transition", case))
    assert "Moving to “Approved” is done by a relocation approval" in content


def test_a_move_that_needs_a_reason_is_refused_without_one_and_keeps_the_choice(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker),
        case_url("transition", north_case),
        {"to_stage": "declined", "reason": "", "outcome": ""},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert top_errors(content) == ["Give the reason for this move."]
    assert '<option value="declined" selected>' in content
    assert fresh(north_case).stage == Stage.NEW


def test_a_frozen_case_cannot_move_on(
    signed_in: Signed, caseworker: User, verifier: User, north_case: Case
) -> None:
    case = move(north_case, caseworker, Stage.SCREENING, Stage.VERIFICATION)
    verification.verification_outcome_record(
        case=case,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="the number belongs to a police officer",
        actor=verifier,
    )
    client = signed_in(caseworker)
    assert Stage.ASSESSMENT not in offered(page(client, case_url("transition", case)))
    response = post(client, case_url("transition", case), {"to_stage": "assessment"})
    assert response.status_code == 400
    assert top_errors(response.content.decode()) == [
        "The case is frozen (suspected hostile): it cannot move on until its desk lead "
        "unfreezes it."
    ]
    assert fresh(case).stage == Stage.VERIFICATION


@pytest.mark.parametrize("persona", ["colleague", "partner_user", "auditor"])
def test_others_get_404_and_the_case_stays(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, north_case: Case
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, case_url("transition", north_case), status=404)
    response = post(client, case_url("transition", north_case), {"to_stage": "screening"})
    assert response.status_code == 404
    assert fresh(north_case).stage == Stage.NEW


def test_a_post_without_the_csrf_token_is_refused(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = signed_in(caseworker).post(
        case_url("transition", north_case), {"to_stage": "screening"}
    )
    assert response.status_code == 403
    assert fresh(north_case).stage == Stage.NEW


def test_screening_from_the_summary_takes_the_case_on(
    signed_in: Signed, screener: User, north_case: Case
) -> None:
    client = signed_in(screener)
    summary = page(client, case_url("case", north_case))
    assert f'action="{case_url("screen", north_case)}"' in summary
    response = client.post(
        case_url("screen", north_case), {"csrfmiddlewaretoken": token_in(summary)}
    )
    assert response.status_code == 302
    assert response["Location"] == case_url("case", north_case)
    case = fresh(north_case)
    assert (case.stage, case.assignee) == (Stage.SCREENING, screener)
