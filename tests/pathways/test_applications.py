"""services.applications: adding and moving applications, and the quota they take."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, TransitionRefused
from passage.cases.models import Case
from passage.pathways.exceptions import QuotaFull
from passage.pathways.models import Application, Programme
from passage.pathways.queries import programmes
from passage.pathways.services.applications import application_add, application_change

pytestmark = pytest.mark.django_db

S = Application.Status


def move(application: Application, actor: User, status: str) -> Application:
    return application_change(
        application=application,
        actor=actor,
        status=status,
        reference=application.reference or "",
        next_deadline=application.next_deadline,
    )


def used(programme: Programme) -> int:
    return next(r.used for r in programmes() if r.programme.pk == programme.pk)


def test_an_application_is_added_encrypted_and_audited(
    caseworker: User, north_case: Case, programme: Programme
) -> None:
    app = application_add(
        case=north_case, actor=caseworker, programme=programme, reference="CAN-2017-0042"
    )
    row = Application.objects.get(pk=app.pk)
    assert (row.status, row.reference) == (S.PREPARING, "CAN-2017-0042")
    assert AuditEntry.objects.filter(action="case.pathway_added", object_id=str(app.pk)).exists()
    assert used(programme) == 0  # preparing holds no place


def test_submitting_takes_a_place_and_a_refusal_frees_it(
    caseworker: User, open_case: Callable[..., Case], programme: Programme
) -> None:
    apps = [
        application_add(case=open_case(f"P{i}"), actor=caseworker, programme=programme)
        for i in range(3)
    ]
    first = move(apps[0], caseworker, S.SUBMITTED)
    assert first.submitted_on is not None
    move(apps[1], caseworker, S.SUBMITTED)
    assert used(programme) == 2
    with pytest.raises(QuotaFull, match="Every place of this programme is taken"):
        move(apps[2], caseworker, S.SUBMITTED)
    assert Application.objects.get(pk=apps[2].pk).status == S.PREPARING
    refused = move(first, caseworker, S.REFUSED)
    assert refused.decided_on is not None
    assert used(programme) == 1
    move(apps[2], caseworker, S.SUBMITTED)
    assert used(programme) == 2
    # Moving on between holding statuses takes no second place.
    move(apps[2], caseworker, S.INTERVIEW)
    move(apps[2], caseworker, S.APPROVED)
    assert used(programme) == 2


def test_final_statuses_cannot_be_left_and_unknown_ones_are_refused(
    caseworker: User, north_case: Case, programme: Programme
) -> None:
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    with pytest.raises(TransitionRefused):
        move(app, caseworker, S.APPROVED)  # not submitted yet
    withdrawn = move(app, caseworker, S.WITHDRAWN)
    with pytest.raises(TransitionRefused):
        move(withdrawn, caseworker, S.SUBMITTED)
    with pytest.raises(InvalidInput):
        move(withdrawn, caseworker, "lost")


def test_reference_deadline_and_outcome_change_without_a_move(
    caseworker: User, north_case: Case, programme: Programme
) -> None:
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    changed = application_change(
        application=app,
        actor=caseworker,
        status=S.PREPARING,
        reference="NEW-1",
        next_deadline=None,
        outcome="Interview booked at the embassy",
    )
    row = Application.objects.get(pk=changed.pk)
    assert (row.reference, row.outcome) == ("NEW-1", "Interview booked at the embassy")
    assert AuditEntry.objects.filter(action="case.pathway_changed").count() == 1


def test_a_closed_programme_takes_no_application(
    caseworker: User, north_case: Case, programme: Programme
) -> None:
    Programme.objects.filter(pk=programme.pk).update(is_active=False)
    with pytest.raises(InvalidInput, match="closed"):
        application_add(case=north_case, actor=caseworker, programme=programme)


def test_another_desk_cannot_add_or_move(
    caseworker: User, colleague: User, north_case: Case, programme: Programme
) -> None:
    with pytest.raises(CaseNotFound):
        application_add(case=north_case, actor=colleague, programme=programme)
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    with pytest.raises(CaseNotFound):
        move(app, colleague, S.SUBMITTED)
    assert Application.objects.get(pk=app.pk).status == S.PREPARING
