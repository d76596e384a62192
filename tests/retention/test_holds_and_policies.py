"""Legal holds keep a closed case from retention until lifted; policies are admins' to change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.workflow import Stage
from passage.retention import holds, plan, policies, services
from passage.retention.exceptions import InvalidInput, NotAllowed
from passage.retention.models import LegalHold, Outcome
from tests.cases.helpers import move
from tests.intake.support import submit
from tests.retention.support import MARKER, entries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

LATER = dt.timedelta(days=8 * 366)


@pytest.fixture
def closed(caseworker: User, make_case: Callable[..., Case]) -> Case:
    return move(make_case("Held Person"), caseworker, Stage.CLOSED)


def _due_ids(now: dt.datetime) -> set[object]:
    return {d.object_id for d in plan.plan(now).all_due()}


def test_a_held_case_is_not_shredded_until_the_hold_is_lifted(
    closed: Case, desk_lead: User
) -> None:
    now = timezone.now() + LATER
    hold = holds.legal_hold_set(actor=desk_lead, case=closed, reason=f"{MARKER} court order")
    assert closed.pk not in _due_ids(now)
    assert services.run(now=now).shredded == ()
    assert LegalHold.objects.get(pk=hold.pk).reason == f"{MARKER} court order"
    assert [e.object_id for e in entries("retention.legal_hold_set")] == [str(closed.pk)]

    holds.legal_hold_lift(actor=desk_lead, case=closed, reason="proceedings ended")
    assert [e.object_id for e in entries("retention.legal_hold_lifted")] == [str(closed.pk)]
    assert closed.pk in _due_ids(now)
    assert [d.object_id for d in services.run(now=now).shredded] == [closed.pk]
    # The hold's reasons were under the case's key: gone with it.
    assert LegalHold.objects.get(pk=hold.pk).reason is None


def test_a_hold_set_after_the_dry_run_still_wins(closed: Case, admin: User) -> None:
    now = timezone.now() + LATER
    planned = plan.plan(now)
    holds.legal_hold_set(actor=admin, case=closed, reason="late order")
    result = services.run(now=now, planned=planned)
    assert result.shredded == () and [d.object_id for d in result.skipped] == [closed.pk]


def test_who_may_hold(
    closed: Case, caseworker: User, colleague: User, admin: User, desk_lead: User
) -> None:
    for actor in (caseworker, colleague):
        with pytest.raises(NotAllowed):
            holds.legal_hold_set(actor=actor, case=closed, reason="r")
    with pytest.raises(InvalidInput):
        holds.legal_hold_set(actor=admin, case=closed, reason="  ")
    holds.legal_hold_set(actor=admin, case=closed, reason="r")
    with pytest.raises(InvalidInput):
        holds.legal_hold_set(actor=desk_lead, case=closed, reason="again")
    with pytest.raises(NotAllowed):
        holds.legal_hold_lift(actor=caseworker, case=closed, reason="r")
    holds.legal_hold_lift(actor=admin, case=closed, reason="done")
    with pytest.raises(InvalidInput):
        holds.legal_hold_lift(actor=admin, case=closed, reason="done")


def test_admins_change_policies_and_the_plan_follows(
    admin: User, desk_lead: User, screener: User
) -> None:
    from passage.intake.services import screening

    request = submit().request
    screening.requests_mark_spam(requests=[request], actor=screener)
    soon = timezone.now() + dt.timedelta(days=11)
    assert request.pk not in _due_ids(soon)
    with pytest.raises(NotAllowed):
        policies.policy_set(actor=desk_lead, outcome=Outcome.REQUEST_SPAM, days=10)
    for bad in (0, -1, 10**9):
        with pytest.raises(InvalidInput):
            policies.policy_set(actor=admin, outcome=Outcome.REQUEST_SPAM, days=bad)
    with pytest.raises(InvalidInput):
        policies.policy_set(actor=admin, outcome="nonsense", days=10)
    policies.policy_set(actor=admin, outcome=Outcome.REQUEST_SPAM, days=10)
    assert policies.days_for(Outcome.REQUEST_SPAM) == 10
    assert policies.shortest_days() == 10
    assert request.pk in _due_ids(soon)
    assert [e.object_id for e in entries("retention.policy_changed")] == ["request_spam"]
