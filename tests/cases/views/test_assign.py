"""Assigning one case: /staff/cases/<id>/assign/ offers the staff who work cases on its desk."""

from __future__ import annotations

import re

import pytest

from passage.accounts.models import User
from passage.cases.models import Case, CaseEvent
from passage.cases.services import assignment
from tests.cases.helpers import fresh
from tests.cases.views.conftest import Signed
from tests.cases.views.support import case_url, field_error, page, post, submit

pytestmark = pytest.mark.django_db


def choices(content: str) -> list[str]:
    select = re.search(r'<select name="assignee".*?</select>', content, re.DOTALL)
    assert select, "no assignee choice on the page"
    return re.findall(r"<option [^>]*>([^<]*)</option>", select.group(0))


def test_the_form_offers_the_desk_staff_who_work_cases(
    signed_in: Signed,
    caseworker: User,
    caseworker2: User,
    desk_lead: User,
    colleague: User,
    partner_user: User,
    north_case: Case,
) -> None:
    content = page(signed_in(caseworker), case_url("assign", north_case))
    assert choices(content) == ["Nobody", "caseworker", "caseworker2", "lead"]


def test_assigning_and_unassigning(
    signed_in: Signed, caseworker: User, caseworker2: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    path = case_url("assign", north_case)
    response = submit(client, path, {"assignee": str(caseworker2.pk)})
    assert response.status_code == 302
    assert response["Location"] == case_url("case", north_case)
    assert fresh(north_case).assignee == caseworker2
    content = page(client, case_url("case", north_case))
    assert "Assignment saved." in content
    assert "caseworker2" in content
    assert f'<option value="{caseworker2.pk}" selected>' in page(client, path)

    assert submit(client, path, {"assignee": ""}).status_code == 302
    assert fresh(north_case).assignee is None
    assert CaseEvent.objects.filter(case=north_case, kind=CaseEvent.Kind.ASSIGNED).count() == 2


def test_someone_of_another_desk_cannot_be_chosen(
    signed_in: Signed, caseworker: User, colleague: User, north_case: Case
) -> None:
    response = submit(
        signed_in(caseworker), case_url("assign", north_case), {"assignee": str(colleague.pk)}
    )
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response.content.decode(), "assignee")
    assert fresh(north_case).assignee is None


def test_a_colleague_of_another_desk_gets_404(
    signed_in: Signed, caseworker: User, colleague: User, north_case: Case
) -> None:
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    client = signed_in(colleague)
    page(client, case_url("assign", north_case), status=404)
    response = post(client, case_url("assign", north_case), {"assignee": ""})
    assert response.status_code == 404
    assert fresh(north_case).assignee == caseworker
