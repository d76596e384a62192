"""The rollup tables follow cases through the real services and equal a from-scratch count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases import rollups
from passage.cases.categories import AgeBand, GenderCategory, OrientationCategory, age_band
from passage.cases.models import Case, CaseRollup, Measure, Person, StageRollup
from passage.cases.rollups import Facts, days_bucket, milestones
from passage.cases.services import duplicates, people
from passage.cases.services.people import PersonDetails
from passage.cases.workflow import Stage
from passage.funds import services as funds
from passage.funds.models import Fund
from passage.pathways.services.applications import application_add, application_change
from passage.pathways.services.programmes import programme_create
from tests.cases.helpers import REASON, fresh, move, to_stage
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def trans_woman(name: str = "Test Person") -> PersonDetails:
    return PersonDetails(
        chosen_name=name,
        gender_category=GenderCategory.TRANS_WOMAN,
        orientation_category=OrientationCategory.LESBIAN,
        birth_date=dt.date(1995, 3, 1),
    )


def assert_consistent() -> None:
    """The tables hold exactly the sum of every case's contributions."""
    assert rollups.agrees(rollups.from_scratch())


def count(measure: str, **categories: str) -> int:
    rows = CaseRollup.objects.filter(measure=measure, fund=categories.pop("fund", ""))
    return sum(r.count for r in rows.filter(**categories))


def test_opening_counts_the_case_by_its_principals_categories(
    open_case: Callable[..., Case],
) -> None:
    case = open_case(details=trans_woman(), country="RU")
    assert_consistent()
    row = CaseRollup.objects.get(measure=Measure.OPENED)
    assert (row.country, row.gender, row.orientation, row.count, row.people) == (
        "RU",
        "trans_woman",
        "lesbian",
        1,
        1,
    )
    assert row.month == timezone.localdate(case.opened_at).replace(day=1)
    assert row.age_band == age_band(1995, case.opened_at)
    assert StageRollup.objects.get(stage=Stage.NEW).count == 1


def test_moves_back_and_forward_count_each_milestone_once(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    case = open_case(details=trans_woman(), country="RU")
    case = to_stage(case, caseworker, verifier, Stage.ARRIVED)
    assert_consistent()
    for measure in (Measure.VERIFIED, Measure.APPROVED, Measure.IN_TRANSIT, Measure.ARRIVED):
        assert count(measure) == 1, measure
    # A refused visa: back to planning, then forward again: still one arrival.
    case = move(case, caseworker, Stage.PLANNING)
    assert_consistent()
    assert count(Measure.ARRIVED) == 1
    case = move(case, caseworker, Stage.IN_TRANSIT, Stage.ARRIVED, Stage.SETTLEMENT)
    assert_consistent()
    assert (count(Measure.ARRIVED), count(Measure.SETTLED)) == (1, 1)
    assert sum(r.count for r in StageRollup.objects.all()) == 1
    assert StageRollup.objects.get(stage=Stage.SETTLEMENT).count == 1
    assert StageRollup.objects.get(stage=Stage.PLANNING).count == 0


def test_outcome_and_reopening(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    case = open_case(details=trans_woman())
    case = to_stage(case, caseworker, verifier, Stage.SETTLEMENT)
    from passage.cases.services import workflow

    case = workflow.case_transition(
        case=case, to_stage=Stage.CLOSED, actor=caseworker, reason=REASON, outcome="relocated"
    )
    assert_consistent()
    assert count(Measure.CLOSED, outcome="relocated") == 1
    workflow.case_transition(case=case, to_stage=Stage.SCREENING, actor=caseworker, reason=REASON)
    assert_consistent()
    assert count(Measure.CLOSED) == 0
    assert count(Measure.ARRIVED) == 1  # it did arrive, once


def test_lost_contact_is_counted_in_the_stage_rollup(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = move(open_case(), caseworker, Stage.SCREENING, Stage.LOST_CONTACT)
    assert StageRollup.objects.get(stage=Stage.LOST_CONTACT).count == 1
    move(case, caseworker, Stage.SCREENING)
    assert StageRollup.objects.get(stage=Stage.LOST_CONTACT).count == 0
    assert_consistent()


def test_a_corrected_category_moves_the_counts(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    case = to_stage(open_case(details=trans_woman()), caseworker, verifier, Stage.ARRIVED)
    principal = Person.objects.get(case=case, is_principal=True)
    details = people.details_of(principal)
    details.gender_category = GenderCategory.NON_BINARY
    details.birth_date = None
    people.person_change(person=principal, details=details, actor=caseworker)
    assert_consistent()
    assert count(Measure.ARRIVED, gender="trans_woman") == 0
    assert count(Measure.ARRIVED, gender="non_binary", age_band="") == 1
    # The person's own words and the category stay encrypted: only counts are plain.
    raw = Person.objects.filter(pk=principal.pk).values_list("gender_category", flat=True)[0]
    assert b"non_binary" not in bytes(raw)


def test_an_unknown_category_is_refused(open_case: Callable[..., Case], caseworker: User) -> None:
    from passage.cases.exceptions import InvalidInput

    with pytest.raises(InvalidInput):
        open_case(details=PersonDetails(chosen_name="X", gender_category="martian"))
    assert CaseRollup.objects.count() == 0


def test_pathway_and_fund_dimensions(
    open_case: Callable[..., Case],
    caseworker: User,
    verifier: User,
    fund: Fund,
    finance: User,
    approved_line: Callable[..., object],
) -> None:
    case = open_case(details=trans_woman(), country="RU")
    keeper = make_staff("logistics-1", Role.LOGISTICS, desks=(case.desk,))
    programme = programme_create(actor=keeper, kind="emergency_visa", name="Visas", quota=40)
    application = application_add(case=case, actor=caseworker, programme=programme)
    assert count(Measure.OPENED, pathway="emergency_visa") == 1
    application_change(
        application=application,
        actor=caseworker,
        status="withdrawn",
        reference="",
        next_deadline=None,
    )
    assert count(Measure.OPENED, pathway="") == 1
    assert_consistent()
    case = to_stage(fresh(case), caseworker, verifier, Stage.ARRIVED)
    line = approved_line(case, fund, 50_000)
    funds.disbursement_record(
        line=line, amount=20_000, paid_on=timezone.localdate(), method="cash", actor=finance
    )
    funds.disbursement_record(
        line=line, amount=10_000, paid_on=timezone.localdate(), method="cash", actor=finance
    )
    assert_consistent()
    assert count(Measure.ARRIVED, fund=str(fund.pk), gender="trans_woman") == 1
    assert count(Measure.ARRIVED) == 1  # the all-funds count is not doubled


def test_a_merged_case_counts_no_more(
    open_case: Callable[..., Case], caseworker: User, desk_lead: User
) -> None:
    keep = open_case("Same Person", details=trans_woman("Same Person"))
    gone = open_case("Same Person", details=trans_woman("Same Person"))
    assert count(Measure.OPENED) == 2
    duplicates.cases_merge(survivor=keep, merged=gone, actor=desk_lead)
    assert_consistent()
    assert count(Measure.OPENED) == 1


def test_rebuild_repairs_the_tables(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    to_stage(open_case(details=trans_woman()), caseworker, verifier, Stage.IN_TRANSIT)
    open_case("Other")
    expected = rollups.stored()
    CaseRollup.objects.filter(measure=Measure.OPENED).update(count=99)
    StageRollup.objects.all().delete()
    from django.core.management import call_command

    call_command("rollups", "rebuild")
    assert rollups.stored() == expected
    call_command("rollups", "check")


# --- The pure parts -------------------------------------------------------------------------


def test_days_buckets() -> None:
    assert [days_bucket(d) for d in (-3, 0, 59, 60, 66, 67, 364, 365, 394, 395, 5000)] == [
        0,
        0,
        59,
        60,
        60,
        67,
        361,
        365,
        365,
        395,
        1095,
    ]


def test_age_bands() -> None:
    on = dt.date(2026, 6, 1)
    assert age_band(2010, on) == AgeBand.UNDER_18
    assert age_band(2008, on) == AgeBand.FROM_18
    assert age_band(1960, on) == AgeBand.FROM_65
    assert age_band(None, on) == ""


def test_a_relocated_case_without_events_arrived_when_it_closed() -> None:
    import uuid

    opened = dt.datetime(2025, 1, 10, tzinfo=dt.UTC)
    closed = dt.datetime(2025, 5, 10, tzinfo=dt.UTC)
    facts = Facts(
        case_id=uuid.uuid4(),
        desk_id=uuid.uuid4(),
        stage=Stage.CLOSED,
        opened_at=opened,
        closed_at=closed,
        outcome=Case.Outcome.RELOCATED,
        country="IR",
        verification_outcome="verified",
        household_size=2,
    )
    found = milestones(facts)
    assert found[Measure.ARRIVED] == found[Measure.APPROVED] == closed
    assert found[Measure.VERIFIED] == closed
    assert Measure.SETTLED not in found
    made = rollups.contributions(facts)
    assert sum(made.people.values()) == 2 * sum(made.cases.values())
    assert made.arrivals == {(dt.date(2025, 5, 1), days_bucket(120), ""): 1}
