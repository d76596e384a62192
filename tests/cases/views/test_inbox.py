"""The screening inbox /staff/inbox/: new cases of one's desks (referrals and staff entries),
and taking one into screening."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.cases.models import Case
from passage.cases.services import assignment, opening
from passage.cases.workflow import Stage
from tests.cases.conftest import person
from tests.cases.helpers import fresh, move
from tests.cases.views.conftest import HANDLE, NAME, STORY, Signed
from tests.cases.views.support import case_url, page, post, token_in

pytestmark = pytest.mark.django_db

INBOX = "/staff/inbox/"


def references(content: str) -> list[str]:
    return re.findall(r'<a class="reference" href="/staff/cases/[^"]+/">([^<]+)</a>', content)


@pytest.fixture
def referral(partner_user: User, desk_north: Desk) -> Case:
    return opening.referral_submit(
        actor=partner_user, desk=desk_north, person=person("Referred Person"), narrative=STORY
    )


def test_the_inbox_lists_new_cases_with_their_source_and_no_personal_data(
    signed_in: Signed,
    screener: User,
    caseworker: User,
    north_case: Case,
    referral: Case,
    partner_org: PartnerOrganisation,
    open_case: Callable[..., Case],
) -> None:
    screened = move(open_case("Screened"), caseworker, Stage.SCREENING)
    content = page(signed_in(screener), INBOX)
    assert sorted(references(content)) == sorted([north_case.reference, referral.reference])
    assert screened.reference not in content
    assert "Partner referral (P-001)" in content
    assert "Entered by staff" in content
    assert "2 new cases" in content
    for secret in (NAME, "Referred Person", HANDLE, STORY):
        assert secret not in content
    assert f'action="{case_url("screen", referral)}"' in content


def test_the_inbox_shows_only_ones_own_desks(
    signed_in: Signed, colleague: User, north_case: Case, south_case: Case
) -> None:
    assert references(page(signed_in(colleague), INBOX)) == [south_case.reference]


@pytest.mark.parametrize("persona", ["partner_user", "auditor", "admin"])
def test_the_inbox_is_404_for_others(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str
) -> None:
    page(signed_in(request.getfixturevalue(persona)), INBOX, status=404)


def test_an_empty_inbox_says_so(signed_in: Signed, screener: User) -> None:
    assert "Nothing waits to be screened." in page(signed_in(screener), INBOX)


def test_opening_a_referral_for_screening_takes_it_on(
    signed_in: Signed, screener: User, referral: Case
) -> None:
    client = signed_in(screener)
    inbox = page(client, INBOX)
    response = client.post(case_url("screen", referral), {"csrfmiddlewaretoken": token_in(inbox)})
    assert response.status_code == 302
    assert response["Location"] == case_url("case", referral)
    case = fresh(referral)
    assert (case.stage, case.assignee) == (Stage.SCREENING, screener)
    assert f"{referral.reference} is in screening." in page(client, response["Location"])
    assert referral.reference not in page(client, INBOX)


def test_screening_keeps_an_existing_assignee(
    signed_in: Signed, screener: User, caseworker: User, north_case: Case
) -> None:
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    post(signed_in(screener), case_url("screen", north_case))
    case = fresh(north_case)
    assert (case.stage, case.assignee) == (Stage.SCREENING, caseworker)


@pytest.mark.parametrize(
    "stages",
    [
        (Stage.SCREENING,),
        (Stage.SCREENING, Stage.VERIFICATION),
        (Stage.SCREENING, Stage.ON_HOLD),  # would resume without a word
    ],
)
def test_a_case_that_is_not_new_any_more_is_left_alone(
    signed_in: Signed, screener: User, caseworker: User, north_case: Case, stages: tuple[str]
) -> None:
    """A stale inbox page: the button must not move the case back, or resume it."""
    move(north_case, caseworker, *stages)
    client = signed_in(screener)
    response = post(client, case_url("screen", north_case))
    assert response.status_code == 302
    assert response["Location"] == case_url("case", north_case)
    message = f"{north_case.reference} is not new any more: someone took it on."
    assert message in page(client, response["Location"])
    case = fresh(north_case)
    assert (case.stage, case.assignee) == (stages[-1], None)


def test_a_colleague_cannot_screen_a_case_of_another_desk(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    assert post(signed_in(colleague), case_url("screen", north_case)).status_code == 404
    assert fresh(north_case).stage == Stage.NEW


def test_screening_needs_a_post(signed_in: Signed, screener: User, north_case: Case) -> None:
    assert signed_in(screener).get(case_url("screen", north_case)).status_code == 405
