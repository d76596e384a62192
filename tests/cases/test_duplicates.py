"""services.duplicates: flags on blind-index matches, across desks without telling either desk
the other's case, and marking a pair as distinct."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from passage.accounts.models import Desk, User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.cases import queries
from passage.cases.exceptions import CaseNotFound, MergeRefused
from passage.cases.models import Case, CaseEvent, DuplicateFlag
from passage.cases.services import duplicates, people
from passage.cases.services.people import PersonDetails
from tests.cases.conftest import channel, person
from tests.cases.helpers import audit_entries

pytestmark = pytest.mark.django_db

BORN = dt.date(1995, 4, 17)


def flags() -> list[DuplicateFlag]:
    return list(DuplicateFlag.objects.all())


def pair_of(flag: DuplicateFlag) -> set[object]:
    return {flag.case_a_id, flag.case_b_id}


# --- What matches ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("phone", "+7 928 123-45-67"), ("whatsapp", "https://wa.me/79281234567")),
        (("phone", "+7 (928) 123 45 67"), ("signal", "+79281234567")),
        (("telegram", "@Muslim_95"), ("telegram", "https://t.me/muslim_95")),
    ],
)
def test_the_same_handle_or_phone_in_another_form_is_flagged_on_both_cases(
    first: tuple[str, str], second: tuple[str, str], open_case: Callable[..., Case]
) -> None:
    a = open_case("First Name", channels=[channel(first[1], first[0])])
    b = open_case("Different Name", channels=[channel(second[1], second[0])])
    [flag] = flags()
    assert pair_of(flag) == {a.pk, b.pk}
    assert flag.basis_codes == ["handle"]
    assert flag.status == DuplicateFlag.Status.OPEN
    assert duplicates.flags_of(a) == duplicates.flags_of(b) == [flag]
    for case in (a, b):
        assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DUPLICATE).count() == 1
    assert audit_entries("case.duplicate_flagged", flag.pk)


def test_different_numbers_are_not_flagged(open_case: Callable[..., Case]) -> None:
    open_case("A", channels=[channel("+7 928 123-45-67", "phone")])
    open_case("B", channels=[channel("+7 928 123-45-68", "phone")])
    assert flags() == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Муслим Исаев", "Muslim Isaev"),
        ("Muslim Isaev", "Moslem Isaev"),
        ("Муслим Исаев", "Moslem Isaev"),
    ],
)
def test_a_name_in_another_script_or_spelling_with_the_same_birth_date_is_flagged(
    first: str, second: str, open_case: Callable[..., Case]
) -> None:
    a = open_case(details=person(first, birth_date=BORN))
    b = open_case(details=person(second, birth_date=BORN))
    [flag] = flags()
    assert pair_of(flag) == {a.pk, b.pk}
    assert flag.basis_codes == ["name_dob"]


def test_legal_names_and_aliases_count_as_names(open_case: Callable[..., Case]) -> None:
    a = open_case(details=person("Lana", legal_name="Руслан Магомедов", birth_date=BORN))
    b = open_case(details=person("Rus", aliases=["Ruslan Magomedov"], birth_date=BORN))
    [flag] = flags()
    assert pair_of(flag) == {a.pk, b.pk}


def test_a_name_alone_or_a_birth_date_alone_is_not_flagged(
    open_case: Callable[..., Case],
) -> None:
    open_case(details=person("Muslim Isaev", birth_date=BORN))
    open_case(details=person("Muslim Isaev", birth_date=BORN + dt.timedelta(days=1)))
    open_case(details=person("Муслим Исаев"))  # no birth date at all
    open_case(details=person("Zarema Dudaeva", birth_date=BORN))
    open_case(details=person("Anzor Bekov", birth_date=BORN))
    assert flags() == []


@pytest.mark.parametrize(
    ("first", "second", "flagged"),
    [
        ("Muhammad Ali", "Muhammad Hasan", False),  # a common first name is not a person
        ("Muhammad Ali", "Mohammed Ali", True),  # both parts, one of them by its sound
        ("Zelimkhan", "Зелимхан", True),  # known by a single name: that name suffices
    ],
)
def test_two_part_names_must_share_two_parts(
    open_case: Callable[..., Case], first: str, second: str, flagged: bool
) -> None:
    open_case(details=person(first, birth_date=BORN))
    other = open_case(details=person(second, birth_date=BORN))
    assert bool(duplicates.flags_of(other)) is flagged


def test_a_change_of_a_person_runs_the_check_again(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    a = open_case("A", channels=[channel("+7 928 123-45-67", "phone")])
    b = open_case("B", channels=[channel("+44 20 7946 0000", "phone")])
    assert flags() == []
    people.person_change(
        person=b.people.get(),
        details=PersonDetails(chosen_name="B"),
        channels=[channel("+79281234567", "whatsapp")],
        actor=caseworker,
    )
    [flag] = flags()
    assert pair_of(flag) == {a.pk, b.pk}


def test_a_household_member_is_compared_too(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    a = open_case("Principal A", channels=[channel("+7 928 123-45-67", "phone")])
    b = open_case("Principal B")
    people.person_create(
        case=b,
        details=person("Brother"),
        channels=[channel("+7 928 765-43-21", "phone")],
        actor=caseworker,
    )
    assert flags() == []
    people.person_create(
        case=b,
        details=person("Sister"),
        channels=[channel("+7 928 123-45-67", "phone")],
        actor=caseworker,
    )
    [flag] = flags()
    assert pair_of(flag) == {a.pk, b.pk}


# --- Re-checking -----------------------------------------------------------------------------


def test_checking_again_does_not_duplicate_flags_and_a_new_basis_grows_the_flag(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    a = open_case(details=person("Muslim Isaev"), channels=[channel("+7 928 123-45-67", "phone")])
    b = open_case(details=person("Moslem Isaev"), channels=[channel("79281234567", "whatsapp")])
    [flag] = flags()
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.DUPLICATE).count()
    assert duplicates.duplicates_check(case=a, actor=caseworker) == []
    assert duplicates.duplicates_check(case=b, actor=caseworker) == []
    assert flags() == [flag]
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.DUPLICATE).count() == events
    # The same birth date on both now: the flag grows, it is not doubled.
    people.person_change(
        person=b.people.get(), details=person("Moslem Isaev", birth_date=BORN), actor=caseworker
    )
    assert flags() == [flag]
    people.person_change(
        person=a.people.get(), details=person("Muslim Isaev", birth_date=BORN), actor=caseworker
    )
    [grown] = flags()
    assert grown.pk == flag.pk
    assert grown.basis_codes == ["handle", "name_dob"]


def test_marking_distinct_is_final_and_checks_do_not_reopen_it(
    open_case: Callable[..., Case], caseworker: User, caseworker2: User
) -> None:
    a = open_case("A", channels=[channel("+7 928 123-45-67", "phone")])
    b = open_case("B", channels=[channel("+7 928 123-45-67", "signal")])
    [flag] = flags()
    duplicates.duplicate_mark_distinct(flag=flag, actor=caseworker)
    stored = DuplicateFlag.objects.get(pk=flag.pk)
    assert stored.status == DuplicateFlag.Status.DISTINCT
    assert stored.decided_by == caseworker and stored.decided_at is not None
    for case in (a, b):
        assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DISTINCT).count() == 1
    assert audit_entries("case.duplicate_distinct", flag.pk)
    with pytest.raises(MergeRefused, match="decided already"):
        duplicates.duplicate_mark_distinct(flag=flag, actor=caseworker2)
    # More matches later do not reopen the pair.
    people.person_change(
        person=b.people.get(), details=person("A", birth_date=BORN), actor=caseworker
    )
    people.person_change(
        person=a.people.get(), details=person("A", birth_date=BORN), actor=caseworker
    )
    assert duplicates.duplicates_check(case=a, actor=caseworker) == []
    [still] = flags()
    assert (still.status, still.basis_codes) == (DuplicateFlag.Status.DISTINCT, ["handle"])


# --- Across desks ----------------------------------------------------------------------------


@pytest.fixture
def across(open_case: Callable[..., Case], colleague: User, desk_south: Desk) -> tuple[Case, Case]:
    north = open_case("Asked North", channels=[channel("+7 928 123-45-67", "phone")])
    south = open_case(
        "Asked South",
        actor=colleague,
        desk=desk_south,
        channels=[channel("https://wa.me/79281234567", "whatsapp")],
    )
    return north, south


def test_a_match_on_another_desk_alerts_both_leads_with_their_own_reference_only(
    across: tuple[Case, Case], desk_lead: User, south_lead: User, caseworker: User
) -> None:
    north, south = across
    alerts = Alert.objects.filter(code=kinds.DUPLICATE_ACROSS_DESKS)
    assert alerts.count() == 2
    [north_alert] = alerts_for(desk_lead).filter(code=kinds.DUPLICATE_ACROSS_DESKS)
    [south_alert] = alerts_for(south_lead).filter(code=kinds.DUPLICATE_ACROSS_DESKS)
    assert north_alert.case_reference == north.reference
    assert north_alert.object_id == str(north.pk)
    assert south.reference not in north_alert.message
    assert str(south.pk) not in (north_alert.object_id, north_alert.details)
    assert south_alert.case_reference == south.reference
    assert north.reference not in south_alert.message
    assert not alerts_for(caseworker).filter(code=kinds.DUPLICATE_ACROSS_DESKS).exists()


def test_the_other_desks_case_shows_as_not_visible(
    across: tuple[Case, Case], caseworker: User, both_desks: User
) -> None:
    north, south = across
    [row] = queries.duplicate_rows(caseworker, north)
    assert row.other.pk == south.pk
    assert row.visible is False
    [row] = queries.duplicate_rows(both_desks, north)
    assert row.visible is True


def test_the_other_desk_cannot_mark_distinct_alone(
    across: tuple[Case, Case], caseworker: User, both_desks: User
) -> None:
    [flag] = flags()
    with pytest.raises(CaseNotFound):
        duplicates.duplicate_mark_distinct(flag=flag, actor=caseworker)
    assert DuplicateFlag.objects.get(pk=flag.pk).status == DuplicateFlag.Status.OPEN
    duplicates.duplicate_mark_distinct(flag=flag, actor=both_desks)
    assert DuplicateFlag.objects.get(pk=flag.pk).status == DuplicateFlag.Status.DISTINCT


def test_a_match_on_the_same_desk_raises_no_alert(open_case: Callable[..., Case]) -> None:
    open_case("A", channels=[channel("+7 928 123-45-67", "phone")])
    open_case("B", channels=[channel("+7 928 123-45-67", "phone")])
    assert len(flags()) == 1
    assert not Alert.objects.filter(code=kinds.DUPLICATE_ACROSS_DESKS).exists()


def test_cross_desk_alerts_are_not_repeated_on_a_recheck(
    across: tuple[Case, Case], caseworker: User
) -> None:
    north, _ = across
    duplicates.duplicates_check(case=north, actor=caseworker)
    assert Alert.objects.filter(code=kinds.DUPLICATE_ACROSS_DESKS).count() == 2
