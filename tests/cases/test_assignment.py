"""services.assignment: cases go to staff of their desk who work cases; bulk is all or nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, Membership, User
from passage.accounts.roles import Role
from passage.accounts.visibility import Access
from passage.alerts.services import break_glass_open
from passage.cases import access, queries
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent
from passage.cases.services import assignment
from tests.cases.helpers import audit_entries, fresh
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def test_a_case_goes_to_a_caseworker_of_its_desk(
    open_case: Callable[..., Case], desk_lead: User, caseworker: User
) -> None:
    case = open_case()
    assert assignment.case_assign(case=case, assignee=caseworker, actor=desk_lead) is True
    assert fresh(case).assignee == caseworker
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ASSIGNED)
    assert (event.actor, event.subject_user, event.detail) == (desk_lead, caseworker, "assigned")
    assert audit_entries("case.assigned", case.pk)
    assert list(queries.my_cases(caseworker)) == [fresh(case)]
    # The same assignment again changes nothing.
    assert assignment.case_assign(case=case, assignee=caseworker, actor=desk_lead) is False
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ASSIGNED).count() == 1
    assert assignment.case_assign(case=case, assignee=None, actor=desk_lead) is True
    assert fresh(case).assignee is None
    assert CaseEvent.objects.filter(case=case, detail="unassigned").exists()


def test_only_staff_of_the_desk_who_work_cases_can_be_assignees(
    open_case: Callable[..., Case],
    desk_north: Desk,
    desk_lead: User,
    colleague: User,
    partner_user: User,
    admin: User,
    auditor: User,
) -> None:
    case = open_case()
    finance = make_staff("finance", Role.FINANCE, desks=(desk_north,))
    interpreter = make_staff("interpreter", Role.INTERPRETER, desks=(desk_north,))
    suspended = make_staff("suspended", Role.CASEWORKER, desks=(desk_north,))
    suspended.suspended_at = timezone.now()
    suspended.save(update_fields=["suspended_at"])
    Membership.objects.create(user=admin, desk=desk_north)
    for wrong in (colleague, partner_user, admin, auditor, finance, interpreter, suspended):
        with pytest.raises(InvalidInput) as refused:
            assignment.case_assign(case=case, assignee=wrong, actor=desk_lead)
        assert str(refused.value) == (
            f"{case.reference}: the assignee must work cases on the case's desk."
        )
    assert fresh(case).assignee is None
    assert [u.username for u in queries.assignable_users([desk_north.pk])] == ["caseworker", "lead"]


def test_only_people_who_work_the_case_assign_it(
    open_case: Callable[..., Case], caseworker: User, colleague: User, partner_user: User
) -> None:
    case = open_case()
    for outsider in (colleague, partner_user):
        with pytest.raises(CaseNotFound):
            assignment.case_assign(case=case, assignee=caseworker, actor=outsider)
    assert fresh(case).assignee is None


def test_bulk_assignment(open_case: Callable[..., Case], desk_lead: User, caseworker: User) -> None:
    cases = [open_case(f"Person {i}") for i in range(3)]
    assignment.case_assign(case=cases[0], assignee=caseworker, actor=desk_lead)
    changed = assignment.cases_assign_bulk(
        case_ids=[c.pk for c in cases] + [cases[1].pk], assignee=caseworker, actor=desk_lead
    )
    assert changed == 2
    assert {fresh(c).assignee for c in cases} == {caseworker}


def test_bulk_assignment_is_all_or_nothing_when_one_case_is_invisible(
    open_case: Callable[..., Case],
    desk_lead: User,
    caseworker: User,
    colleague: User,
    desk_south: Desk,
) -> None:
    mine = [open_case(f"Person {i}") for i in range(3)]
    # Opened last: its reference sorts after the others, so they are assigned before it fails.
    foreign = open_case("South Person", actor=colleague, desk=desk_south)
    assert foreign.reference > max(c.reference for c in mine)
    with pytest.raises(CaseNotFound):
        assignment.cases_assign_bulk(
            case_ids=[*(c.pk for c in mine), foreign.pk], assignee=caseworker, actor=desk_lead
        )
    assert all(fresh(c).assignee is None for c in mine)
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.ASSIGNED).exists()
    assert not any(audit_entries("case.assigned", c.pk) for c in mine)


def test_bulk_assignment_is_all_or_nothing_when_one_assignment_is_wrong(
    open_case: Callable[..., Case],
    caseworker: User,
    both_desks: User,
    colleague: User,
    desk_south: Desk,
) -> None:
    north = [open_case(f"Person {i}") for i in range(2)]
    south = open_case("South Person", actor=colleague, desk=desk_south)
    # both_desks works all three, but the caseworker is not on the South desk.
    with pytest.raises(InvalidInput, match=south.reference):
        assignment.cases_assign_bulk(
            case_ids=[c.pk for c in [*north, south]], assignee=caseworker, actor=both_desks
        )
    assert all(fresh(c).assignee is None for c in [*north, south])


def test_bulk_assignment_refuses_unknown_ids_and_a_reader_only(
    open_case: Callable[..., Case],
    desk_lead: User,
    caseworker: User,
    colleague: User,
) -> None:
    case = open_case()
    with pytest.raises(CaseNotFound):
        assignment.cases_assign_bulk(
            case_ids=[case.pk, "not-a-uuid"], assignee=caseworker, actor=desk_lead
        )
    with pytest.raises(CaseNotFound):
        assignment.cases_assign_bulk(
            case_ids=[case.pk, "0d2c7a35-7b8e-4c55-9a0e-1b2c3d4e5f60"],
            assignee=caseworker,
            actor=desk_lead,
        )
    with pytest.raises(InvalidInput, match="at least one"):
        assignment.cases_assign_bulk(case_ids=[], assignee=caseworker, actor=desk_lead)
    # A break-glass reader may read a case but not assign it.
    break_glass_open(
        user=colleague,
        case_id=case.pk,
        desk_id=case.desk_id,
        reason="looking at a matching phone number",
        case_reference=case.reference,
    )
    with pytest.raises(NotAllowed, match=case.reference):
        assignment.cases_assign_bulk(case_ids=[case.pk], assignee=caseworker, actor=colleague)
    assert fresh(case).assignee is None


def test_the_assignee_keeps_access_after_leaving_the_desk(
    open_case: Callable[..., Case], desk_lead: User, both_desks: User, desk_north: Desk
) -> None:
    case = open_case()
    assignment.case_assign(case=case, assignee=both_desks, actor=desk_lead)
    Membership.objects.filter(user=both_desks, desk=desk_north).delete()
    assert access.access_to(both_desks, fresh(case)) is Access.ASSIGNEE
