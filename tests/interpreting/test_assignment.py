"""services.interpreter_assign / interpreter_end: by someone who works the case, for an active
interpreter, in ISO 639 languages, audited (ids only)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.interpreting import services
from passage.interpreting.models import InterpreterAssignment

pytestmark = pytest.mark.django_db


def test_a_caseworker_gives_the_case_an_interpreter(
    north_case: Case, interpreter: User, caseworker: User
) -> None:
    made = services.interpreter_assign(
        case=north_case, interpreter=interpreter, languages=["ce", "kbd", "ce"], actor=caseworker
    )
    stored = InterpreterAssignment.objects.get(pk=made.pk)
    assert (stored.case_id, stored.interpreter_id, stored.assigned_by_id) == (
        north_case.pk,
        interpreter.pk,
        caseworker.pk,
    )
    assert stored.languages == ["ce", "kbd"] and stored.is_active
    entry = AuditEntry.objects.get(action="interpreting.assigned")
    assert (entry.object_type, entry.object_id) == ("interpreter_assignment", str(made.pk))


def test_a_colleague_of_another_desk_cannot_assign(
    north_case: Case, interpreter: User, colleague: User
) -> None:
    with pytest.raises(CaseNotFound):
        services.interpreter_assign(
            case=north_case, interpreter=interpreter, languages=["ce"], actor=colleague
        )
    assert not InterpreterAssignment.objects.exists()


def test_an_interpreter_cannot_assign_themselves(north_case: Case, interpreter: User) -> None:
    with pytest.raises(CaseNotFound):
        services.interpreter_assign(
            case=north_case, interpreter=interpreter, languages=["ce"], actor=interpreter
        )


def test_only_an_active_interpreter_can_be_given_a_case(
    north_case: Case, interpreter: User, caseworker: User, colleague: User
) -> None:
    with pytest.raises(InvalidInput):
        services.interpreter_assign(
            case=north_case, interpreter=colleague, languages=["ce"], actor=caseworker
        )
    User.objects.filter(pk=interpreter.pk).update(suspended_at=timezone.now())
    with pytest.raises(InvalidInput):
        services.interpreter_assign(
            case=north_case,
            interpreter=User.objects.get(pk=interpreter.pk),
            languages=["ce"],
            actor=caseworker,
        )
    assert not InterpreterAssignment.objects.exists()


@pytest.mark.parametrize("languages", [[], ["xx"], ["Chechen"], [str(i) for i in range(11)]])
def test_languages_must_be_iso_639(
    north_case: Case, interpreter: User, caseworker: User, languages: list[str]
) -> None:
    with pytest.raises(InvalidInput):
        services.interpreter_assign(
            case=north_case, interpreter=interpreter, languages=languages, actor=caseworker
        )


def test_the_same_interpreter_twice_is_refused(
    north_case: Case, interpreter: User, caseworker: User, assigned: InterpreterAssignment
) -> None:
    with pytest.raises(InvalidInput):
        services.interpreter_assign(
            case=north_case, interpreter=interpreter, languages=["ru"], actor=caseworker
        )
    assert InterpreterAssignment.objects.count() == 1


def test_a_frozen_case_gets_no_interpreter(
    north_case: Case, interpreter: User, caseworker: User
) -> None:
    Case.objects.filter(pk=north_case.pk).update(frozen_at=timezone.now())
    with pytest.raises(NotAllowed):
        services.interpreter_assign(
            case=north_case, interpreter=interpreter, languages=["ce"], actor=caseworker
        )


def test_ending_an_assignment(
    north_case: Case, interpreter: User, caseworker: User, assigned: InterpreterAssignment
) -> None:
    ended = services.interpreter_end(assignment=assigned, actor=caseworker)
    stored = InterpreterAssignment.objects.get(pk=assigned.pk)
    assert stored.ended_at is not None and stored.ended_by_id == caseworker.pk
    assert ended.ended_at == stored.ended_at
    entry = AuditEntry.objects.get(action="interpreting.ended")
    assert entry.object_id == str(assigned.pk)
    with pytest.raises(InvalidInput):
        services.interpreter_end(assignment=assigned, actor=caseworker)
    # Given again later: a new assignment.
    again = services.interpreter_assign(
        case=north_case, interpreter=interpreter, languages=["ru"], actor=caseworker
    )
    assert again.pk != assigned.pk and again.is_active


def test_a_colleague_cannot_end_it(colleague: User, assigned: InterpreterAssignment) -> None:
    with pytest.raises(CaseNotFound):
        services.interpreter_end(assignment=assigned, actor=colleague)
    assert InterpreterAssignment.objects.get(pk=assigned.pk).is_active
