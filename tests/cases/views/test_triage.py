"""The triage section /staff/cases/<id>/triage/ (the score's parts: one audited view), setting
the factors, and setting the level by hand."""

from __future__ import annotations

import re

import pytest

from passage.accounts.models import Membership, User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.priority import Level
from passage.cases.services import triage
from tests.cases.helpers import fresh
from tests.cases.views.conftest import Signed
from tests.cases.views.support import case_url, field_error, page, post, reads, submit, top_errors
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def checked(content: str) -> set[str]:
    """The factors ticked in the form."""
    boxes = re.findall(r'<input type="checkbox" name="factors" value="([^"]+)"([^>]*)>', content)
    return {value for value, rest in boxes if " checked" in rest}


def test_the_triage_page_shows_the_parts_of_the_score_and_is_one_audited_read(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    triage.triage_factors_set(
        case=north_case, factors={"immediate_danger", "dependants"}, actor=caseworker
    )
    case = fresh(north_case)
    content = page(signed_in(caseworker), case_url("case-triage", north_case))
    assert f"Score {case.priority_score}" in content
    assert "In immediate danger" in content
    assert "Has dependants" in content
    assert checked(content) == {"immediate_danger", "dependants"}
    assert reads(north_case) == ["case.section_viewed.triage"]


@pytest.mark.parametrize("persona", ["colleague", "partner_user", "auditor"])
def test_others_get_404(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, north_case: Case
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, case_url("case-triage", north_case), status=404)
    page(client, case_url("triage-override", north_case), status=404)
    assert (
        post(
            client, case_url("case-triage", north_case), {"factors": "immediate_danger"}
        ).status_code
        == 404
    )
    assert reads(north_case) == []
    assert fresh(north_case).triage_factors == {}


def test_ticking_factors_recomputes_the_score(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    before = fresh(north_case)
    client = signed_in(caseworker)
    response = submit(
        client,
        case_url("case-triage", north_case),
        {"factors": ["immediate_danger", "health_needs"]},
    )
    assert response.status_code == 302
    assert response["Location"] == case_url("case-triage", north_case)
    after = fresh(north_case)
    assert after.triage_factors == {"immediate_danger": True, "health_needs": True}
    assert after.priority_score > before.priority_score
    assert "Triage saved; the score is updated." in page(client, response["Location"])


def test_an_unknown_factor_is_refused_next_to_the_field(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker), case_url("case-triage", north_case), {"factors": ["flying"]}
    )
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response.content.decode(), "factors")
    assert fresh(north_case).triage_factors == {}


def test_setting_the_level_by_hand_needs_a_reason(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    path = case_url("triage-override", north_case)
    refused = submit(client, path, {"level": str(Level.CRITICAL.value), "reason": "short"})
    assert refused.status_code == 400
    content = refused.content.decode()
    assert top_errors(content) == [
        "Say why the level differs from the score (at least 10 characters)."
    ]
    assert "short</textarea>" in content
    assert fresh(north_case).level_override is None

    done = submit(
        client,
        path,
        {"level": str(Level.CRITICAL.value), "reason": "the partner says a raid is planned"},
    )
    assert done.status_code == 302
    case = fresh(north_case)
    assert (case.level_override, case.priority_level) == (Level.CRITICAL, Level.CRITICAL)
    assert case.level_override_reason == "the partner says a raid is planned"
    assert "the partner says a raid is planned" in page(client, case_url("case-triage", case))


def test_an_unknown_level_is_an_error_next_to_the_field(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker),
        case_url("triage-override", north_case),
        {"level": "9", "reason": "long enough reason here"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response.content.decode(), "level")


def test_a_read_only_viewer_sees_the_score_but_no_form(signed_in: Signed, north_case: Case) -> None:
    finance = make_staff("finance", Role.FINANCE)
    Membership.objects.create(user=finance, desk=north_case.desk)
    client = signed_in(finance)
    content = page(client, case_url("case-triage", north_case))
    assert "Why the case ranks here" in content
    assert 'name="factors"' not in content
    assert (
        post(client, case_url("case-triage", north_case), {"factors": "health_needs"}).status_code
        == 404
    )
    assert fresh(north_case).triage_factors == {}
