"""services.people: the people of a case and their contact channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.cases.exceptions import CaseNotFound, InvalidInput
from passage.cases.models import Case, CaseEvent, ContactChannel, DuplicateFlag, Person
from passage.cases.services import opening, people, workflow
from passage.cases.services.people import PersonDetails
from passage.cases.workflow import Stage
from passage.crypto import blind
from passage.crypto.models import BlindIndex
from tests.cases.conftest import channel, person
from tests.cases.helpers import REASON, audit_entries, case_key_ids, fresh, raw_key_id, raw_value

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 7, 9)


def owners(scope: str, value: str, row_type: str = "cases.person") -> set[object]:
    return {m.owner_id for m in blind.lookup(scope, value, row_types=[row_type])}


def test_the_principal_is_written_encrypted_under_the_case_key(
    open_case: Callable[..., Case],
) -> None:
    case = open_case(
        details=person("Amina", pronouns="she/her", birth_date=BORN, languages=["ru", "ce"]),
        channels=[channel("+7 928 123-45-67", "phone")],
    )
    [principal] = Person.objects.filter(case=case)
    assert principal.is_principal and principal.position == 0
    assert (principal.chosen_name, principal.pronouns) == ("Amina", "she/her")
    assert principal.birth_date == BORN.isoformat()
    assert principal.languages == ["ru", "ce"]
    for column in ("chosen_name", "pronouns", "birth_date", "languages"):
        raw = raw_value("cases_person", column, principal.pk)
        assert isinstance(raw, bytes)
        assert b"Amina" not in raw and b"1990" not in raw
        assert raw_key_id("cases_person", column, principal.pk) in case_key_ids(case)
    [phone] = ContactChannel.objects.filter(person=principal)
    assert phone.value == "+7 928 123-45-67"
    assert raw_key_id("cases_contactchannel", "value", phone.pk) in case_key_ids(case)
    assert owners("name", "amina") == {case.pk}
    assert owners("handle", "+79281234567", "cases.contactchannel") == {case.pk}


def test_a_household_member_is_added_and_the_household_grows(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case()
    assert case.household_size == 1
    member = people.person_create(
        case=case,
        details=person("Little Brother", relationship="brother", age_years=12),
        actor=caseworker,
    )
    assert (member.is_principal, member.position) == (False, 1)
    assert fresh(case).household_size == 2
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.PERSON, detail="added").exists()
    assert audit_entries("case.person_added", case.pk)
    with pytest.raises(InvalidInput, match="principal already"):
        people.person_create(case=case, details=person("X"), principal=True, actor=caseworker)


def test_household_member_add_refuses_a_closed_case(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = workflow.case_transition(
        case=open_case(), to_stage=Stage.CLOSED, actor=caseworker, reason=REASON
    )
    with pytest.raises(InvalidInput, match="closed"):
        opening.household_member_add(case=fresh(case), details=person("X"), actor=caseworker)


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (PersonDetails(chosen_name="X", age_years=130), "between 0 and 120"),
        (PersonDetails(chosen_name="X", age_years=-1), "between 0 and 120"),
        (
            PersonDetails(chosen_name="X", birth_date=dt.date.today() + dt.timedelta(days=3)),  # noqa: DTZ011
            "cannot be in the future",
        ),
    ],
)
def test_bad_details_are_refused(
    details: PersonDetails, message: str, open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case()
    with pytest.raises(InvalidInput, match=message):
        people.person_create(case=case, details=details, actor=caseworker)
    assert Person.objects.filter(case=case).count() == 1


def test_an_unknown_channel_kind_is_refused_and_nothing_is_kept(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case(channels=[channel("+7 928 123-45-67", "phone")])
    principal = case.people.get()
    with pytest.raises(InvalidInput, match="Unknown contact channel"):
        people.person_change(
            person=principal,
            details=person("Test Person"),
            channels=[channel("+7 900 000-00-00", "pigeon")],
            actor=caseworker,
        )
    assert [c.value for c in principal.channels.all()] == ["+7 928 123-45-67"]


def test_changing_channels_replaces_them_and_their_index_rows(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case(channels=[channel("+7 928 123-45-67", "phone")])
    principal = case.people.get()
    people.person_change(
        person=principal,
        details=person("Test Person"),
        channels=[channel("@new_handle", "telegram")],
        actor=caseworker,
    )
    assert [c.value for c in principal.channels.all()] == ["@new_handle"]
    assert owners("handle", "+79281234567", "cases.contactchannel") == set()
    assert owners("handle", "new_handle", "cases.contactchannel") == {case.pk}
    assert audit_entries("case.person_changed", case.pk)


def test_a_cleared_name_or_birth_date_is_no_longer_found(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    """Blind-index rows of a value that was removed must go with it: otherwise the old
    name still finds the person (search) and still flags other cases as duplicates."""
    case = open_case(
        details=person("Amina", legal_name="Ivan Petrov", aliases=["Vanya"], birth_date=BORN)
    )
    principal = case.people.get()
    assert owners("name", "Petrov") == {case.pk}
    people.person_change(person=principal, details=person("Amina"), actor=caseworker)
    stored = Person.objects.get(pk=principal.pk)
    assert (stored.legal_name, stored.aliases, stored.birth_date) == (None, None, None)
    assert owners("name", "Petrov") == set()
    assert owners("name", "Vanya") == set()
    assert owners("date", BORN.isoformat()) == set()
    assert owners("name", "Amina") == {case.pk}
    assert not BlindIndex.objects.filter(
        row_id=principal.pk, field__in=["legal_name", "aliases", "birth_date"]
    ).exists()
    # A new case with the removed name and birth date is not flagged against it.
    open_case(details=person("Ivan Petrov", birth_date=BORN))
    assert not DuplicateFlag.objects.exists()


def test_removing_a_member_removes_their_channels_and_index_rows(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case()
    member = people.person_create(
        case=case,
        details=person("Cousin Timur", birth_date=BORN),
        channels=[channel("+7 928 555-44-33", "signal")],
        actor=caseworker,
    )
    assert owners("name", "Timur") == {case.pk}
    people.person_remove(person=member, actor=caseworker)
    assert not Person.objects.filter(pk=member.pk).exists()
    assert not ContactChannel.objects.filter(person_id=member.pk).exists()
    assert owners("name", "Timur") == set()
    assert owners("handle", "+79285554433", "cases.contactchannel") == set()
    assert audit_entries("case.person_removed", case.pk)
    with pytest.raises(InvalidInput, match="principal cannot be removed"):
        people.person_remove(person=case.people.get(), actor=caseworker)


def test_details_of_gives_back_what_was_written(
    open_case: Callable[..., Case],
) -> None:
    written = PersonDetails(
        chosen_name="Amina",
        pronouns="she/her",
        legal_name="Аминат",
        aliases=["Ami"],
        birth_date=BORN,
        nationality="RU",
        languages=["ru"],
        gender_identity="trans woman",
        current_location="a flat near the market",
        health_needs="hormones",
    )
    case = open_case(details=written)
    assert people.details_of(Person.objects.get(case=case)) == written


def test_people_of_other_desks_cannot_be_touched(
    open_case: Callable[..., Case], colleague: User, partner_user: User
) -> None:
    case = open_case()
    principal = case.people.get()
    for outsider in (colleague, partner_user):
        with pytest.raises(CaseNotFound):
            people.person_create(case=case, details=person("Intruder"), actor=outsider)
        with pytest.raises(CaseNotFound):
            people.person_change(person=principal, details=person("Changed"), actor=outsider)
    assert Person.objects.get(pk=principal.pk).chosen_name == "Test Person"
