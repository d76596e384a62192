"""services.screening.request_attach: a request joins an existing case, only one of the
screener's own desks (e.g. the person lost their codename and wrote again)."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.cases.services import opening
from passage.intake.exceptions import ActionRefused
from passage.intake.models import HelpRequest
from passage.intake.services import screening
from tests.cases.conftest import person
from tests.intake.support import audit_entries, fresh, make_screener, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


@pytest.fixture
def north_case(caseworker: User, desk_north: Desk) -> Case:
    return opening.case_open(desk=desk_north, actor=caseworker, person=person("North Person"))


@pytest.fixture
def south_case(colleague: User, desk_south: Desk) -> Case:
    return opening.case_open(desk=desk_south, actor=colleague, person=person("South Person"))


def test_a_request_is_attached_to_a_case_of_the_screeners_desk(
    screener: User, north_case: Case
) -> None:
    receipt = submit()
    screening.request_attach(request=receipt.request, case=north_case, actor=screener)
    request = fresh(receipt.request)
    assert (request.state, request.status, request.case) == ("attached", "working", north_case)
    assert request.decided_by == screener
    [entry] = audit_entries("request.attach", receipt.request.pk)
    assert entry.actor == f"user:{screener.pk}"


def test_not_to_a_case_of_another_desk(screener: User, south_case: Case) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused, match="own desks"):
        screening.request_attach(request=receipt.request, case=south_case, actor=screener)
    request = fresh(receipt.request)
    assert (request.state, request.case) == (HelpRequest.State.NEW, None)
    assert not audit_entries("request.attach")


def test_a_request_already_dealt_with_is_not_attached(
    screener: User, north_case: Case, desk_north: Desk
) -> None:
    receipt = submit()
    screening.request_open_case(request=receipt.request, actor=screener, desk=desk_north)
    with pytest.raises(ActionRefused, match="already dealt with"):
        screening.request_attach(request=receipt.request, case=north_case, actor=screener)
    assert fresh(receipt.request).case != north_case


def test_only_screeners_may_attach(caseworker: User, north_case: Case) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused, match="Only screeners"):
        screening.request_attach(request=receipt.request, case=north_case, actor=caseworker)
    assert fresh(receipt.request).case is None
