"""services.duplicates.cases_merge: everything moves to the survivor, re-encrypted under its
key; the merged case's key is shredded and its row left as a tombstone."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.cases.exceptions import CaseError, CaseNotFound, MergeRefused, NotAllowed
from passage.cases.models import (
    Approval,
    Case,
    CaseEvent,
    CaseShare,
    Consent,
    ContactChannel,
    DuplicateFlag,
    Person,
    VerificationItem,
)
from passage.cases.priority import Level
from passage.cases.services import (
    approvals,
    assignment,
    consent,
    duplicates,
    people,
    triage,
    verification,
    workflow,
)
from passage.cases.workflow import Stage
from passage.crypto import blind
from passage.crypto.exceptions import RecordShredded
from passage.crypto.fields import ProtectedModel
from passage.crypto.models import BlindIndex, DataKey, ShredRecord
from tests.cases.conftest import channel, person
from tests.cases.helpers import audit_entries, case_key_ids, fresh, raw_key_id, raw_value

pytestmark = pytest.mark.django_db

BORN = dt.date(1993, 2, 1)
MOVING: tuple[type[ProtectedModel], ...] = (
    Person,
    ContactChannel,
    CaseEvent,
    VerificationItem,
    Consent,
    Approval,
)


@dataclass
class Pair:
    survivor: Case
    merged: Case
    moved: dict[type[ProtectedModel], list[uuid.UUID]]
    folded: uuid.UUID  # the merged case's principal: the same person, folded into the survivor's


def rows_of(case: Case) -> dict[type[ProtectedModel], list[uuid.UUID]]:
    found: dict[type[ProtectedModel], list[uuid.UUID]] = {}
    for model in MOVING:
        path = model.key_owner_path
        assert path is not None
        found[model] = list(
            model._default_manager.filter(**{path: case.pk}).values_list("pk", flat=True)
        )
    return found


@pytest.fixture
def pair(
    open_case: Callable[..., Case],
    caseworker: User,
    desk_lead: User,
    verifier: User,
    partner_org: PartnerOrganisation,
) -> Pair:
    survivor = open_case(
        details=person("Muslim Isaev", birth_date=BORN),
        channels=[channel("+7 928 123-45-67", "phone")],
        narrative="Told us first in March.",
        factors={"dependants"},
    )
    merged = open_case(
        details=person("Moslem Isaev", birth_date=BORN, legal_name="Муслим Исаев"),
        channels=[
            channel("https://wa.me/79281234567", "whatsapp"),
            channel("@moslem_i", "telegram"),
        ],
        narrative="Second request, through a friend.",
        factors={"detained_or_tortured"},
    )
    people.person_create(
        case=merged,
        details=person("Partner of Moslem", birth_date=dt.date(1994, 5, 5)),
        channels=[channel("+7 928 000-11-22", "signal")],
        actor=caseworker,
    )
    verification.verification_item_add(
        case=merged,
        kind=VerificationItem.Kind.VOUCH,
        details={"contact_person": "Aslan"},
        vouching_partner=partner_org,
        actor=verifier,
    )
    given = consent.consent_record(
        case=merged,
        recipient_kind="ngo",
        sections={"person", "contact"},
        given_on=timezone.localdate(),
        how_given="said yes on a Signal call",
        actor=caseworker,
    )
    consent.case_share(case=merged, partner=partner_org, sections={"person"}, actor=caseworker)
    first = approvals.emergency_request(
        case=merged, amount=80, purpose="food", comment="no money for food at all", actor=caseworker
    )
    approvals.approval_decide(approval=first, approve=True, comment="yes, food", actor=desk_lead)
    approvals.emergency_request(
        case=merged,
        amount=90,
        purpose="transport",
        comment="bus ticket out tomorrow",
        actor=caseworker,
    )
    workflow.case_transition(
        case=merged, to_stage=Stage.SCREENING, actor=caseworker, reason="talked on the phone"
    )
    assert given.pk
    assert DuplicateFlag.objects.count() == 1
    folded = Person.objects.get(case=merged, is_principal=True).pk
    return Pair(fresh(survivor), fresh(merged), rows_of(merged), folded)


def merge(p: Pair, actor: User) -> Case:
    return duplicates.cases_merge(survivor=p.survivor, merged=p.merged, actor=actor)


def test_everything_moves_to_the_survivor_re_encrypted_under_its_key(
    pair: Pair, caseworker: User
) -> None:
    survivor_keys = case_key_ids(pair.survivor)
    merged_keys = case_key_ids(pair.merged)
    assert survivor_keys and merged_keys and not survivor_keys & merged_keys
    for model in MOVING:
        assert pair.moved[model], f"the fixture should give the merged case {model.__name__}s"

    merge(pair, caseworker)

    # The merged case's keys are gone, and the shred ledger remembers it.
    assert not DataKey.objects.filter(owner_id=pair.merged.pk).exists()
    assert ShredRecord.objects.filter(owner_id=pair.merged.pk, owner_type="cases.case").exists()
    assert not BlindIndex.objects.filter(owner_id=pair.merged.pk).exists()
    assert case_key_ids(pair.survivor) == survivor_keys
    # Every moved row now belongs to the survivor, and its ciphertext names the survivor's key.
    checked = 0
    for model, pks in pair.moved.items():
        table = model._meta.db_table
        for pk in pks:
            if pk == pair.folded:
                assert not Person.objects.filter(pk=pk).exists()
                continue
            row = model._default_manager.get(pk=pk)
            assert row.key_owner() == ("cases.case", pair.survivor.pk)
            for f in model.encrypted_fields():
                if raw_value(table, f.column, pk) is None:
                    continue
                assert raw_key_id(table, f.column, pk) in survivor_keys, (table, f.column)
                getattr(row, f.attname)  # decrypts under the survivor's key
                checked += 1
    assert checked >= 15


def test_moved_values_still_read_the_same(pair: Pair, caseworker: User) -> None:
    merge(pair, caseworker)
    survivor = fresh(pair.survivor)
    # The two principals are the same person: one principal, with the other's names as
    # other names and the details the survivor lacked; the household member moves as such.
    names = {p.chosen_name for p in Person.objects.filter(case=survivor)}
    assert names == {"Muslim Isaev", "Partner of Moslem"}
    principal = Person.objects.get(case=survivor, is_principal=True)
    assert principal.chosen_name == "Muslim Isaev"
    assert principal.aliases == ["Moslem Isaev"]
    assert (principal.legal_name, principal.birth_date) == ("Муслим Исаев", BORN.isoformat())
    assert sorted(Person.objects.filter(case=survivor).values_list("position", flat=True)) == [
        0,
        1,
    ]
    assert {c.value for c in principal.channels.all()} == {
        "+7 928 123-45-67",
        "https://wa.me/79281234567",
        "@moslem_i",
    }
    handles = {c.value for c in ContactChannel.objects.filter(person__case=survivor)}
    assert handles == {
        "+7 928 123-45-67",
        "https://wa.me/79281234567",
        "@moslem_i",
        "+7 928 000-11-22",
    }
    assert VerificationItem.objects.get(case=survivor).details == {"contact_person": "Aslan"}
    assert Consent.objects.get(case=survivor).how_given == "said yes on a Signal call"
    comments = {a.request_comment for a in Approval.objects.filter(case=survivor)}
    assert comments == {"no money for food at all", "bus ticket out tomorrow"}
    assert CaseEvent.objects.get(case=survivor, to_stage="screening").note == "talked on the phone"
    # The survivor takes over the narrative and the triage factors.
    assert survivor.narrative is not None
    assert "Told us first in March." in survivor.narrative
    assert "Second request, through a friend." in survivor.narrative
    assert pair.merged.reference in survivor.narrative
    assert survivor.triage_factors == {"dependants": True, "detained_or_tortured": True}
    assert survivor.household_size == 2


def test_pending_approvals_of_the_merged_case_are_withdrawn(pair: Pair, caseworker: User) -> None:
    merge(pair, caseworker)
    statuses = sorted(Approval.objects.filter(case=pair.survivor).values_list("status", flat=True))
    assert statuses == ["approved", "withdrawn"]


def test_blind_index_lookups_now_name_the_survivor(pair: Pair, caseworker: User) -> None:
    merge(pair, caseworker)
    for scope, value, row_type in (
        ("handle", "+79281234567", "cases.contactchannel"),
        ("handle", "moslem_i", "cases.contactchannel"),
        ("name", "Moslem", "cases.person"),
        ("name_sound", "Muslim", "cases.person"),
        ("date", BORN.isoformat(), "cases.person"),
    ):
        owners = {m.owner_id for m in blind.lookup(scope, value, row_types=[row_type])}
        assert owners == {pair.survivor.pk}, (scope, value)


def test_the_merged_case_is_a_tombstone(pair: Pair, caseworker: User, desk_lead: User) -> None:
    merge(pair, caseworker)
    tomb = fresh(pair.merged)
    assert tomb.stage == Stage.CLOSED
    assert tomb.outcome == Case.Outcome.MERGED
    assert tomb.merged_into_id == pair.survivor.pk
    assert tomb.closed_at is not None and tomb.assignee is None
    for f in Case.encrypted_fields():
        assert raw_value("cases_case", f.column, tomb.pk) is None, f.column
    assert raw_value("cases_case", "reference", tomb.pk) == pair.merged.reference
    assert not Person.objects.filter(case=tomb).exists()
    assert not CaseEvent.objects.filter(case=tomb).exists()
    assert not CaseShare.objects.filter(case=tomb).exists()
    assert CaseShare.objects.filter(case=pair.survivor).count() == 1
    flag = DuplicateFlag.objects.get()
    assert (flag.status, flag.decided_by) == (DuplicateFlag.Status.MERGED, caseworker)
    with pytest.raises(CaseError, match="merged into another one"):
        workflow.case_transition(
            case=tomb, to_stage=Stage.SCREENING, actor=desk_lead, reason="reopen it please"
        )
    for survivor, merged in ((pair.survivor, tomb), (tomb, pair.survivor)):
        with pytest.raises(CaseError, match="merged"):
            duplicates.cases_merge(survivor=survivor, merged=merged, actor=caseworker)
    assert audit_entries("case.merged", pair.survivor.pk)
    assert audit_entries("case.merged_into", tomb.pk)
    assert CaseEvent.objects.filter(
        case=pair.survivor, kind=CaseEvent.Kind.MERGED, detail=tomb.reference
    ).exists()


def test_nothing_new_can_be_written_under_the_shredded_key(pair: Pair, caseworker: User) -> None:
    merge(pair, caseworker)
    tomb = fresh(pair.merged)
    tomb.narrative = "written after the merge"
    with pytest.raises(RecordShredded):
        tomb.save()


def test_flags_with_third_cases_move_to_the_survivor(
    pair: Pair, open_case: Callable[..., Case], caseworker: User
) -> None:
    third = open_case("Third", channels=[channel("@moslem_i", "telegram")])
    [third_flag] = duplicates.flags_of(third)
    assert pair.merged.pk in {third_flag.case_a_id, third_flag.case_b_id}
    merge(pair, caseworker)
    [moved] = duplicates.flags_of(third)
    assert {moved.case_a_id, moved.case_b_id} == {third.pk, pair.survivor.pk}


def test_a_frozen_case_refuses_either_way(pair: Pair, caseworker: User, verifier: User) -> None:
    verification.verification_outcome_record(
        case=pair.merged,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="pressed for the safe house address",
        actor=verifier,
    )
    frozen = fresh(pair.merged)
    with pytest.raises(MergeRefused, match="frozen"):
        duplicates.cases_merge(survivor=pair.survivor, merged=frozen, actor=caseworker)
    with pytest.raises(MergeRefused, match="frozen"):
        duplicates.cases_merge(survivor=frozen, merged=pair.survivor, actor=caseworker)
    assert DataKey.objects.filter(owner_id=frozen.pk).exists()
    assert fresh(frozen).merged_into_id is None


def test_a_case_cannot_be_merged_with_itself(pair: Pair, caseworker: User) -> None:
    with pytest.raises(MergeRefused, match="itself"):
        duplicates.cases_merge(survivor=pair.survivor, merged=pair.survivor, actor=caseworker)
    assert DataKey.objects.filter(owner_id=pair.survivor.pk).exists()


def test_only_someone_who_works_both_cases_and_may_merge(
    open_case: Callable[..., Case],
    caseworker: User,
    colleague: User,
    verifier: User,
    both_desks: User,
    desk_south: Desk,
) -> None:
    north = open_case("North Person", channels=[channel("+7 928 123-45-67", "phone")])
    south = open_case(
        "South Person",
        actor=colleague,
        desk=desk_south,
        channels=[channel("+79281234567", "signal")],
    )
    for actor in (caseworker, colleague):
        with pytest.raises(CaseNotFound):
            duplicates.cases_merge(survivor=north, merged=south, actor=actor)
        with pytest.raises(CaseNotFound):
            duplicates.require_merge_allowed(actor, north, south)
    other_north = open_case("Another North")
    with pytest.raises(NotAllowed, match="role does not allow"):
        duplicates.cases_merge(survivor=north, merged=other_north, actor=verifier)
    assert fresh(south).merged_into_id is None
    assert DataKey.objects.filter(owner_id=south.pk).exists()
    duplicates.require_merge_allowed(both_desks, north, south)
    kept = duplicates.cases_merge(survivor=north, merged=south, actor=both_desks)
    assert kept.pk == north.pk
    assert fresh(south).merged_into_id == north.pk


def test_writes_to_the_tombstone_are_refused_with_a_clear_message(
    pair: Pair,
    caseworker: User,
    desk_lead: User,
    verifier: User,
    partner_org: PartnerOrganisation,
) -> None:
    """Its key is shredded: a write that reached the encryption would fail with a crypto error
    (a 500 in a view); every service must refuse it as a case error first."""
    merge(pair, caseworker)
    tomb = fresh(pair.merged)
    today = timezone.localdate()
    attempts: dict[str, Callable[[], object]] = {
        "triage": lambda: triage.triage_factors_set(
            case=tomb, factors={"dependants"}, actor=caseworker
        ),
        "override": lambda: triage.priority_level_override(
            case=tomb, level=Level.HIGH, reason="should be higher than that", actor=caseworker
        ),
        "person": lambda: people.person_create(
            case=tomb, details=person("Someone"), actor=caseworker
        ),
        "check": lambda: verification.verification_item_add(
            case=tomb, kind="consistency", details={"result": "consistent"}, actor=verifier
        ),
        "outcome": lambda: verification.verification_outcome_record(
            case=tomb, outcome="not_verified", note="nothing to confirm", actor=verifier
        ),
        "consent": lambda: consent.consent_record(
            case=tomb,
            recipient_kind="ngo",
            sections={"person"},
            given_on=today,
            how_given="on a call",
            actor=caseworker,
        ),
        "share": lambda: consent.case_share(
            case=tomb, partner=partner_org, sections={"person"}, actor=caseworker
        ),
        "emergency": lambda: approvals.emergency_request(
            case=tomb, amount=10, purpose="food", comment="needs food right now", actor=caseworker
        ),
        "assign": lambda: assignment.case_assign(case=tomb, assignee=caseworker, actor=desk_lead),
        "transition": lambda: workflow.case_transition(
            case=tomb, to_stage=Stage.SCREENING, actor=caseworker, reason="reopen please"
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(CaseError) as refused:
            attempt()
        assert "merged" in str(refused.value), name
    stored = fresh(tomb)
    assert (stored.stage, stored.assignee_id, stored.merged_into_id) == (
        Stage.CLOSED,
        None,
        pair.survivor.pk,
    )


def test_the_survivor_takes_over_the_review_deadline_of_moved_emergency_help(
    pair: Pair, caseworker: User
) -> None:
    moved = Approval.objects.get(case=pair.merged, status=Approval.Status.APPROVED)
    assert moved.review_due_at is not None
    assert fresh(pair.merged).next_deadline == moved.review_due_at
    assert pair.survivor.next_deadline is None
    merge(pair, caseworker)
    assert fresh(pair.survivor).next_deadline == moved.review_due_at


def test_contact_dates_combine(pair: Pair, caseworker: User) -> None:
    now = timezone.now()
    Case.objects.filter(pk=pair.survivor.pk).update(
        next_contact_due=now + dt.timedelta(days=5), last_contact_at=now - dt.timedelta(days=9)
    )
    Case.objects.filter(pk=pair.merged.pk).update(
        next_contact_due=now + dt.timedelta(days=2), last_contact_at=now - dt.timedelta(days=1)
    )
    pair.survivor, pair.merged = fresh(pair.survivor), fresh(pair.merged)
    merge(pair, caseworker)
    survivor = fresh(pair.survivor)
    assert survivor.next_contact_due == now + dt.timedelta(days=2)
    assert survivor.last_contact_at == now - dt.timedelta(days=1)


def test_an_open_case_is_not_merged_into_a_closed_one(pair: Pair, caseworker: User) -> None:
    closed = workflow.case_transition(
        case=pair.survivor, to_stage=Stage.DECLINED, actor=caseworker, reason="not in scope"
    )
    with pytest.raises(MergeRefused, match="Keep the open case"):
        duplicates.cases_merge(survivor=closed, merged=pair.merged, actor=caseworker)
    assert fresh(pair.merged).merged_into_id is None


def test_the_referring_partner_follows_the_survivor(
    open_case: Callable[..., Case],
    caseworker: User,
    partner_user: User,
    desk_north: Desk,
) -> None:
    from passage.cases import queries
    from passage.cases.services import opening

    referred = opening.referral_submit(
        actor=partner_user, desk=desk_north, person=person("Moslem Isaev", birth_date=BORN)
    )
    survivor = open_case(details=person("Муслим Исаев", birth_date=BORN))
    duplicates.cases_merge(survivor=survivor, merged=fresh(referred), actor=caseworker)
    assert fresh(survivor).referred_by_id == partner_user.partner_id
    assert [c.pk for c in queries.partner_referrals(partner_user)] == [survivor.pk]
