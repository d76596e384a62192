"""services.screening.request_triage: the screener's own level orders the inbox."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.intake.exceptions import ActionRefused, InvalidInput
from passage.intake.models import HelpRequest
from passage.intake.services import screening
from tests.intake.support import audit_entries, fresh, make_screener, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


@pytest.mark.parametrize(
    ("level", "rank"), [("critical", 0), ("high", 1), ("normal", 2), ("low", 3)]
)
def test_the_level_sets_the_rank(screener: User, level: str, rank: int) -> None:
    receipt = submit()
    screening.request_triage(request=receipt.request, actor=screener, level=level)
    stored = fresh(receipt.request)
    assert (stored.level, stored.level_rank) == (level, rank)
    [entry] = audit_entries("request.triage", receipt.request.pk)
    assert entry.actor == f"user:{screener.pk}"


def test_an_unknown_level_is_refused(screener: User) -> None:
    receipt = submit()
    with pytest.raises(InvalidInput, match="Choose a level"):
        screening.request_triage(request=receipt.request, actor=screener, level="urgent")
    assert fresh(receipt.request).level_rank == 9


def test_only_screeners_may_triage(caseworker: User) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused):
        screening.request_triage(request=receipt.request, actor=caseworker, level="high")
    assert fresh(receipt.request).level == ""
    assert HelpRequest.objects.get().level_rank == 9
