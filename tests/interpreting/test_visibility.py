"""Visibility of a case to its interpreter: ``case_access`` with the case's active interpreters,
``interpreting.access`` (assigned, ended, frozen, merged, role gone), and the cases app's own
reads (``case_for``, ``visible_cases``, ``worked_cases``), which never let an interpreter in."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from passage.accounts.models import RoleGrant, User
from passage.accounts.roles import Role
from passage.accounts.visibility import Access, case_access
from passage.cases import access, queries
from passage.cases.exceptions import CaseNotFound
from passage.cases.models import Case
from passage.interpreting import queries as interpreting_queries
from passage.interpreting import services
from passage.interpreting.access import interpreting_access, require_interpreting
from passage.interpreting.models import InterpreterAssignment

pytestmark = pytest.mark.django_db


def _facts(case: Case) -> dict[str, object]:
    return {"case_id": case.pk, "desk_id": case.desk_id, "assignee_id": case.assignee_id}


def test_case_access_answers_interpreter_only_when_named(
    north_case: Case, interpreter: User
) -> None:
    assert case_access(interpreter, **_facts(north_case)) is Access.NONE  # type: ignore[arg-type]
    named = case_access(interpreter, **_facts(north_case), interpreter_ids=[interpreter.pk])  # type: ignore[arg-type]
    assert named is Access.INTERPRETER
    others = case_access(interpreter, **_facts(north_case), interpreter_ids=[uuid.uuid4()])  # type: ignore[arg-type]
    assert others is Access.NONE


def test_case_access_never_for_a_frozen_case(north_case: Case, interpreter: User) -> None:
    answer = case_access(
        interpreter,
        **_facts(north_case),
        interpreter_ids=[interpreter.pk],
        frozen=True,  # type: ignore[arg-type]
    )
    assert answer is Access.NONE


def test_case_access_needs_the_interpret_permission(north_case: Case, colleague: User) -> None:
    """A caseworker of another desk named as interpreter (without the role) sees nothing."""
    answer = case_access(colleague, **_facts(north_case), interpreter_ids=[colleague.pk])  # type: ignore[arg-type]
    assert answer is Access.NONE


def test_desk_access_comes_before_interpreting(north_case: Case, caseworker: User) -> None:
    RoleGrant.objects.create(user=caseworker, role=Role.INTERPRETER)
    caseworker = User.objects.get(pk=caseworker.pk)
    answer = case_access(caseworker, **_facts(north_case), interpreter_ids=[caseworker.pk])  # type: ignore[arg-type]
    assert answer is Access.DESK


def test_an_assigned_interpreter_sees_the_case_on_the_interpreter_pages_only(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    assert interpreting_access(interpreter, north_case) is Access.INTERPRETER
    assert interpreting_queries.interpreted_case(interpreter, north_case.pk) is not None
    # Nowhere else: the cases app never asks as the interpreter.
    assert access.access_to(interpreter, north_case) is Access.NONE
    assert queries.case_for(interpreter, north_case.pk) is None
    assert not access.visible_cases(interpreter).exists()
    assert not access.worked_cases(interpreter).exists()
    assert queries.search(interpreter, north_case.reference) == []


def test_case_for_refuses_interpreter_access_even_if_asked(
    north_case: Case,
    interpreter: User,
    assigned: InterpreterAssignment,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Belt and braces: were ``access_to`` ever to answer INTERPRETER, ``case_for`` refuses."""
    monkeypatch.setattr(access, "access_to", lambda user, case, **kw: Access.INTERPRETER)
    assert queries.case_for(interpreter, north_case.pk) is None


def test_a_case_view_seen_as_interpreter_says_so(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    view = interpreting_queries.interpreted_case(interpreter, north_case.pk)
    assert view is not None and view.interprets and not view.works


def test_an_unassigned_interpreter_sees_nothing(
    north_case: Case, interpreter: User, other_interpreter: User, assigned: InterpreterAssignment
) -> None:
    assert interpreting_access(other_interpreter, north_case) is Access.NONE
    assert interpreting_queries.interpreted_case(other_interpreter, north_case.pk) is None
    with pytest.raises(CaseNotFound):
        require_interpreting(other_interpreter, north_case)


def test_an_ended_assignment_sees_nothing(
    north_case: Case, interpreter: User, caseworker: User, assigned: InterpreterAssignment
) -> None:
    services.interpreter_end(assignment=assigned, actor=caseworker)
    assert interpreting_access(interpreter, north_case) is Access.NONE
    assert not interpreting_queries.my_assignments(interpreter).exists()


def test_a_frozen_case_is_hidden_from_its_interpreter(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    Case.objects.filter(pk=north_case.pk).update(frozen_at=timezone.now())
    north_case.refresh_from_db()
    assert interpreting_access(interpreter, north_case) is Access.NONE
    assert not interpreting_queries.my_assignments(interpreter).exists()


def test_a_merged_tombstone_is_hidden_from_its_interpreter(
    north_case: Case, south_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    Case.objects.filter(pk=north_case.pk).update(merged_into=south_case)
    north_case.refresh_from_db()
    assert interpreting_access(interpreter, north_case) is Access.NONE


def test_losing_the_role_or_being_suspended_ends_the_sight(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    RoleGrant.objects.filter(user=interpreter).delete()
    assert interpreting_access(User.objects.get(pk=interpreter.pk), north_case) is Access.NONE
    RoleGrant.objects.create(user=interpreter, role=Role.INTERPRETER)
    User.objects.filter(pk=interpreter.pk).update(suspended_at=timezone.now())
    assert interpreting_access(User.objects.get(pk=interpreter.pk), north_case) is Access.NONE


def test_my_assignments_lists_only_mine(
    north_case: Case,
    south_case: Case,
    interpreter: User,
    other_interpreter: User,
    assigned: InterpreterAssignment,
    colleague: User,
) -> None:
    services.interpreter_assign(
        case=south_case, interpreter=other_interpreter, languages=["ar"], actor=colleague
    )
    assert [a.case_id for a in interpreting_queries.my_assignments(interpreter)] == [north_case.pk]
    assert [a.case_id for a in interpreting_queries.my_assignments(other_interpreter)] == [
        south_case.pk
    ]
