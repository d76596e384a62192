"""Giving a case an interpreter from its summary (/staff/interpret/<case>/interpreters/) and
ending it (.../interpreters/<id>/end/): for those who work the case only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.interpreting.models import InterpreterAssignment
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, post, submit, text_of

pytestmark = pytest.mark.django_db


def assign_url(case: Case) -> str:
    return reverse("interpret:assign", args=[case.pk])


def end_url(assignment: InterpreterAssignment) -> str:
    return reverse("interpret:end", args=[assignment.case_id, assignment.pk])


def test_the_summary_shows_interpreters_and_offers_to_give_one(
    signed_in: Signed, caseworker: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    content = page(signed_in(caseworker), reverse("cases:case", args=[north_case.pk]))
    assert "interpreter" in content and "Chechen, Russian" in content
    assert assign_url(north_case) in content and end_url(assigned) in content


def test_a_caseworker_gives_the_case_an_interpreter(
    signed_in: Signed, caseworker: User, interpreter: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    assert "interpreter" in page(client, assign_url(north_case))
    response = submit(
        client,
        assign_url(north_case),
        {"interpreter": str(interpreter.pk), "languages": "Chechen, kbd"},
    )
    assert response.status_code == 302
    stored = InterpreterAssignment.objects.get(case=north_case)
    assert stored.interpreter_id == interpreter.pk and stored.languages == ["ce", "kbd"]
    assert AuditEntry.objects.filter(action="interpreting.assigned").count() == 1


def test_bad_input_is_shown_beside_the_field(
    signed_in: Signed, caseworker: User, interpreter: User, colleague: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = submit(
        client, assign_url(north_case), {"interpreter": str(interpreter.pk), "languages": "Chechn"}
    )
    assert response.status_code == 400
    assert "Chechn" in field_error(text_of(response), "languages")
    response = submit(
        client, assign_url(north_case), {"interpreter": str(colleague.pk), "languages": "ce"}
    )
    assert response.status_code == 400
    assert field_error(text_of(response), "interpreter")
    assert not InterpreterAssignment.objects.exists()


def test_a_colleague_of_another_desk_gets_404(
    signed_in: Signed, colleague: User, interpreter: User, north_case: Case
) -> None:
    client = signed_in(colleague)
    page(client, assign_url(north_case), status=404)
    response = post(
        client, assign_url(north_case), {"interpreter": str(interpreter.pk), "languages": "ce"}
    )
    assert response.status_code == 404
    assert not InterpreterAssignment.objects.exists()


def test_ending_from_the_summary(
    signed_in: Signed, caseworker: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    client = signed_in(caseworker)
    assert "will no longer see this case" in page(client, end_url(assigned))
    response = submit(client, end_url(assigned))
    assert response.status_code == 302
    assert InterpreterAssignment.objects.get(pk=assigned.pk).ended_at is not None
    page(client, end_url(assigned), status=404)  # ended: nothing left to end


def test_a_colleague_or_the_interpreter_cannot_end(
    signed_in: Signed,
    colleague: User,
    interpreter: User,
    north_case: Case,
    assigned: InterpreterAssignment,
) -> None:
    for user in (colleague, interpreter):
        client = signed_in(user)
        page(client, end_url(assigned), status=404)
        assert post(client, end_url(assigned)).status_code == 404
    assert InterpreterAssignment.objects.get(pk=assigned.pk).is_active
