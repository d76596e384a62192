"""services.opening: opening cases (staff, help request, partner referral), and what reaches
the database: no personal value in any column of any cases table."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.audit.models import AuditEntry
from passage.cases import priority
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent, Person, ReferenceCounter
from passage.cases.services import (
    approvals,
    assignment,
    consent,
    opening,
    people,
    triage,
    verification,
    workflow,
)
from passage.cases.services.people import ChannelDetails, PersonDetails
from passage.cases.workflow import Stage
from tests.cases.conftest import channel, person
from tests.cases.helpers import all_rows, audit_entries, case_key_ids, fresh, raw_key_id

pytestmark = pytest.mark.django_db


def test_a_case_gets_a_yearly_reference_a_principal_and_a_key(
    open_case: Callable[..., Case], caseworker: User, desk_north: Desk
) -> None:
    year = timezone.now().year
    first = open_case("First")
    second = open_case("Second")
    assert first.reference == f"PSG-{year}-000001"
    assert second.reference == f"PSG-{year}-000002"
    old = open_case("Old", now=dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC))
    assert old.reference == "PSG-2020-000001"
    assert ReferenceCounter.objects.get(year=year).last == 2

    stored = fresh(first)
    assert (stored.stage, stored.source, stored.desk) == (Stage.NEW, "staff", desk_north)
    assert stored.people.get().is_principal
    assert len(case_key_ids(stored)) == 1
    event = CaseEvent.objects.get(case=stored)
    assert (event.kind, event.to_stage, event.actor) == ("opened", "new", caseworker)
    [entry] = audit_entries("case.opened", stored.pk)
    assert entry.actor == f"user:{caseworker.pk}"


def test_what_was_told_is_stored_and_read_back(open_case: Callable[..., Case]) -> None:
    case = open_case(
        details=person("Amina", pronouns="she/her"),
        channels=[ChannelDetails("signal", " +7 928 123-45-67 ", "only after 22:00")],
        urgency=Case.Urgency.DAYS,
        reply_language="ru",
        country="ru",
        region=" Chechnya ",
        household_size=3,
        narrative="  Her family found out.  ",
        factors={"outed_or_family_threat"},
    )
    stored = fresh(case)
    assert (stored.country, stored.region, stored.household_size) == ("RU", "Chechnya", 3)
    assert (stored.urgency, stored.reply_language) == ("days", "ru")
    assert stored.narrative == "Her family found out."
    assert stored.triage_factors == {"outed_or_family_threat": True}
    assert stored.priority_score == 10
    principal = stored.people.get()
    [signal] = principal.channels.all()
    assert (signal.kind, signal.value, signal.note) == (
        "signal",
        "+7 928 123-45-67",
        "only after 22:00",
    )


def test_in_danger_now_counts_as_the_immediate_danger_factor(
    open_case: Callable[..., Case],
) -> None:
    case = fresh(open_case(urgency=Case.Urgency.IMMEDIATE))
    assert case.triage_factors == {"immediate_danger": True}
    assert case.priority_score == 30
    assert case.priority_level == priority.Level.HIGH


def test_only_on_ones_own_desks(
    caseworker: User,
    colleague: User,
    auditor: User,
    admin: User,
    partner_user: User,
    desk_north: Desk,
) -> None:
    for actor in (colleague, auditor, admin, partner_user):
        with pytest.raises(NotAllowed, match="only on your own desks"):
            opening.case_open(desk=desk_north, actor=actor, person=person())
    assert not Case.objects.exists()


def test_from_a_help_request(caseworker: User, desk_north: Desk) -> None:
    case = opening.case_open_from_request(desk=desk_north, actor=caseworker, person=person())
    assert fresh(case).source == Case.Source.INTAKE
    with pytest.raises(InvalidInput, match="Unknown source"):
        opening.case_open(
            desk=desk_north, actor=caseworker, person=person(), source=Case.Source.PARTNER
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"urgency": "yesterday"}, "how urgent"),
        ({"household_size": 0}, "between 1 and 30"),
        ({"household_size": 31}, "between 1 and 30"),
        ({"narrative": "x" * 20_001}, "too long"),
        ({"country": "Russia"}, "country from the list"),
        ({"country": "R1"}, "country from the list"),
        ({"factors": {"unlucky"}}, "Unknown triage factor"),
        ({"channels": [channel("+7 900 000 00 00", "carrier pigeon")]}, "Unknown contact"),
        ({"details": PersonDetails(chosen_name="X", age_years=200)}, "between 0 and 120"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_kept(
    kwargs: dict[str, Any], message: str, open_case: Callable[..., Case]
) -> None:
    with pytest.raises(InvalidInput, match=message):
        open_case(**kwargs)
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    assert not ReferenceCounter.objects.filter(last__gt=0).exists()
    assert not AuditEntry.objects.filter(action="case.opened").exists()


def test_a_closed_desk_takes_no_cases(open_case: Callable[..., Case], desk_north: Desk) -> None:
    Desk.objects.filter(pk=desk_north.pk).update(is_active=False)
    desk_north.refresh_from_db()
    with pytest.raises(InvalidInput, match="desk is closed"):
        open_case(desk=desk_north)


# --- At rest ---------------------------------------------------------------------------------

MARK = "Qzmarkq"  # in every personal value, with a suffix naming the field
CYRILLIC = "Жмарк"
BIRTH = dt.date(1971, 11, 23)


def marked(tag: str) -> str:
    return f"{MARK}{tag} {CYRILLIC}{tag}"


def marked_person(tag: str) -> PersonDetails:
    return PersonDetails(
        chosen_name=marked(f"{tag}chosen"),
        pronouns=marked(f"{tag}pronouns"),
        legal_name=marked(f"{tag}legal"),
        aliases=[marked(f"{tag}alias")],
        birth_date=BIRTH,
        age_years=53,
        nationality=marked(f"{tag}nationality"),
        languages=[marked(f"{tag}lang")],
        gender_identity=marked(f"{tag}gender"),
        sexual_orientation=marked(f"{tag}orientation"),
        relationship=marked(f"{tag}relationship"),
        current_location=marked(f"{tag}location"),
        health_needs=marked(f"{tag}health"),
        protection_needs=marked(f"{tag}protection"),
    )


def marked_channels(tag: str) -> list[ChannelDetails]:
    return [
        ChannelDetails("telegram", f"@{MARK}{tag}handle", marked(f"{tag}channelnote")),
        ChannelDetails("phone", "+7 928 765-43-21", marked(f"{tag}phonenote")),
    ]


def forms_of(text: str) -> list[bytes]:
    raw = text.encode()
    return [
        raw,
        raw.lower(),
        text.encode("utf-16-le"),
        raw.hex().encode(),
        base64.b64encode(raw)[:-4],
    ]


def cases_tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t.startswith("cases_"))


def column_text(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def test_no_personal_value_reaches_any_column_of_any_cases_table(
    open_case: Callable[..., Case],
    caseworker: User,
    verifier: User,
    desk_lead: User,
    partner_user: User,
    partner_org: PartnerOrganisation,
    desk_north: Desk,
) -> None:
    staff_case = open_case(
        details=marked_person("a"),
        channels=marked_channels("a"),
        narrative=marked("narrative"),
        country="RU",
        region="Chechnya",
    )
    referred = opening.referral_submit(
        actor=partner_user,
        desk=desk_north,
        person=marked_person("b"),
        channels=marked_channels("b"),
        narrative=marked("referral"),
    )
    people.person_create(
        case=staff_case, details=marked_person("c"), channels=marked_channels("c"), actor=caseworker
    )
    verification.verification_item_add(
        case=staff_case,
        kind="vouch",
        details={"contact_person": marked("vouch")},
        vouching_partner=partner_org,
        note=marked("vouchnote"),
        actor=verifier,
    )
    consent.consent_record(
        case=staff_case,
        recipient_kind="ngo",
        sections={"person"},
        given_on=timezone.localdate(),
        how_given=marked("consent"),
        actor=caseworker,
    )
    emergency = approvals.emergency_request(
        case=staff_case, amount=50, purpose="food", comment=marked("emergency"), actor=caseworker
    )
    approvals.approval_decide(
        approval=emergency, approve=True, comment=marked("decision"), actor=desk_lead
    )
    approvals.emergency_review_record(approval=emergency, note=marked("review"), actor=caseworker)
    triage.priority_level_override(
        case=staff_case, level=priority.Level.CRITICAL, reason=marked("override"), actor=caseworker
    )
    workflow.case_transition(
        case=referred, to_stage=Stage.ON_HOLD, actor=caseworker, reason=marked("hold")
    )

    tables = cases_tables()
    assert {"cases_case", "cases_person", "cases_contactchannel", "cases_caseevent"} <= set(tables)
    needles = [
        form
        for text in (MARK, CYRILLIC, BIRTH.isoformat(), "765-43-21", "79287654321")
        for form in forms_of(text)
    ]
    leaks = []
    seen = b""
    for table in tables:
        for row in all_rows(table):
            for value in row:
                text = column_text(value)
                seen += text + b"\n"
                leaks += [(table, needle) for needle in needles if needle in text]
    assert leaks == []
    # Positive controls: the plain operational columns are there, readable.
    for case in (staff_case, referred):
        assert case.reference.encode() in seen
    assert b"on_hold" in seen and b"Chechnya" in seen
    # And the values are really there, encrypted under each case's key.
    principal = Person.objects.filter(case=staff_case, is_principal=True).get()
    assert principal.chosen_name == marked("achosen")
    assert raw_key_id("cases_person", "chosen_name", principal.pk) in case_key_ids(staff_case)


def test_screening_a_new_case_takes_it_on(
    open_case: Callable[..., Case], screener: User, caseworker: User, colleague: User
) -> None:
    case = open_case()
    with pytest.raises(CaseNotFound):
        opening.case_screen_open(case=case, actor=colleague)
    screened = opening.case_screen_open(case=case, actor=screener)
    assert (screened.stage, screened.assignee) == (Stage.SCREENING, screener)
    # Somebody has it already: screening does not take it away from them.
    other = open_case("Other")
    assignment.case_assign(case=other, assignee=caseworker, actor=caseworker)
    assert opening.case_screen_open(case=fresh(other), actor=screener).assignee == caseworker


def test_the_narrative_can_be_replaced(open_case: Callable[..., Case], caseworker: User) -> None:
    case = open_case(narrative="first version")
    with pytest.raises(InvalidInput, match="too long"):
        opening.case_narrative_set(case=case, narrative="x" * 20_001, actor=caseworker)
    opening.case_narrative_set(case=case, narrative="  second version  ", actor=caseworker)
    assert fresh(case).narrative == "second version"
    assert audit_entries("case.narrative_changed", case.pk)
    opening.case_narrative_set(case=case, narrative=" ", actor=caseworker)
    assert fresh(case).narrative is None


def test_screening_takes_only_a_new_case(
    open_case: Callable[..., Case], caseworker: User, screener: User
) -> None:
    from passage.cases.exceptions import TransitionRefused
    from passage.cases.services import workflow

    case = opening.case_screen_open(case=open_case(), actor=screener)
    paused = workflow.case_transition(
        case=case, to_stage="on_hold", actor=caseworker, reason="waiting for a call"
    )
    with pytest.raises(TransitionRefused, match="not new any more"):
        opening.case_screen_open(case=paused, actor=screener)
    assert Case.objects.get(pk=case.pk).stage == "on_hold"
