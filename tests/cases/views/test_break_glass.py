"""Break-glass /staff/cases/break-glass/: a colleague of another desk opens one case by its
reference with a reason, for an hour, read-only; admins are alerted; frozen cases refuse."""

from __future__ import annotations

import pytest

from passage.accounts.models import AccessGrant, User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.cases.services import verification
from passage.cases.workflow import Stage
from tests.cases.helpers import fresh
from tests.cases.views.conftest import NAME, Signed
from tests.cases.views.support import (
    age_second_factor,
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

PATH = "/staff/cases/break-glass/"
REASON = "the North desk is offline and the person called our hotline in danger"


def grants(user: User) -> list[AccessGrant]:
    return list(AccessGrant.objects.filter(user=user))


def test_a_colleague_opens_a_case_of_another_desk_and_admins_are_alerted(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    client = signed_in(colleague)
    case_page = f"/staff/cases/{north_case.pk}/"
    page(client, case_page, status=404)
    form = page(client, f"{PATH}?reference={north_case.reference}")
    assert f'value="{north_case.reference}"' in form
    response = submit(client, PATH, {"reference": north_case.reference.lower(), "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == case_page

    content = page(client, case_page)
    assert "Break-glass:" in content
    assert f"Break-glass access to {north_case.reference} is open for an hour" in content
    [grant] = grants(colleague)
    assert str(grant.object_id) == str(north_case.pk)
    [alert] = Alert.objects.filter(code=kinds.BREAK_GLASS)
    assert alert.object_id == str(north_case.pk)
    assert alert.case_reference == north_case.reference
    assert alert.target_role == "admin"
    assert AuditEntry.objects.filter(
        action="access.break_glass_opened", object_id=str(north_case.pk)
    ).exists()

    # What the grant opens is read-only, and every view of a protected section is recorded.
    assert NAME in page(client, f"/staff/cases/{north_case.pk}/person/")
    assert reads(north_case) == ["case.section_viewed.person"]
    assert "/move/" not in content
    page(client, f"/staff/cases/{north_case.pk}/move/", status=404)
    response = post(client, f"/staff/cases/{north_case.pk}/move/", {"to_stage": "screening"})
    assert response.status_code == 404
    assert fresh(north_case).stage == Stage.NEW


def test_an_unknown_reference_says_so_next_to_the_field(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    response = submit(
        signed_in(colleague), PATH, {"reference": "PSG-2026-999999", "reason": REASON}
    )
    assert response.status_code == 400
    content = text_of(response)
    assert field_error(content, "reference") == "No case has this reference."
    assert f"{REASON}</textarea>" in content
    assert grants(colleague) == []
    assert not Alert.objects.filter(code=kinds.BREAK_GLASS).exists()


def test_a_frozen_case_refuses_break_glass(
    signed_in: Signed, colleague: User, verifier: User, north_case: Case
) -> None:
    verification.verification_outcome_record(
        case=north_case,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="the number belongs to a police officer",
        actor=verifier,
    )
    response = submit(
        signed_in(colleague), PATH, {"reference": north_case.reference, "reason": REASON}
    )
    assert response.status_code == 400
    assert top_errors(text_of(response)) == ["Break-glass is not available for this case."]
    assert grants(colleague) == []
    assert not Alert.objects.filter(code=kinds.BREAK_GLASS).exists()


def test_a_short_reason_is_refused(signed_in: Signed, colleague: User, north_case: Case) -> None:
    response = submit(
        signed_in(colleague), PATH, {"reference": north_case.reference, "reason": "urgent"}
    )
    assert response.status_code == 400
    assert top_errors(text_of(response)) == ["Give the reason in at least 15 characters."]
    assert grants(colleague) == []


def test_a_case_of_ones_own_desk_needs_no_break_glass(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker), PATH, {"reference": north_case.reference, "reason": REASON}
    )
    assert response.status_code == 400
    assert top_errors(text_of(response)) == [
        "This case is on your desk: open it without break-glass."
    ]
    assert grants(caseworker) == []


def test_empty_fields_are_errors_next_to_them(signed_in: Signed, colleague: User) -> None:
    response = submit(signed_in(colleague), PATH, {"reference": "", "reason": ""})
    assert response.status_code == 400
    content = text_of(response)
    assert field_error(content, "reference") == "This field is required."
    assert field_error(content, "reason") == "This field is required."


def test_break_glass_asks_for_a_fresh_second_factor(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    client = signed_in(colleague)
    age_second_factor(client)
    assert client.get(PATH)["Location"] == step_up_location(PATH)
    response = post(client, PATH, {"reference": north_case.reference, "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == step_up_location(PATH)
    assert grants(colleague) == []


@pytest.mark.parametrize("persona", ["screener", "verifier", "partner_user", "auditor", "admin"])
def test_roles_without_break_glass_get_404(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, south_case: Case
) -> None:
    user = request.getfixturevalue(persona)
    client = signed_in(user)
    page(client, PATH, status=404)
    response = post(client, PATH, {"reference": south_case.reference, "reason": REASON})
    assert response.status_code == 404
    assert grants(user) == []
