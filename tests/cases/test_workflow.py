"""services.workflow.case_transition against the declared table in cases.workflow.

The exhaustive tests put a case in the starting stage by writing its plain operational columns
(the state a real history would leave), then drive the real service; the narrative tests reach
their stages through the services only.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.exceptions import CaseNotFound, TransitionRefused
from passage.cases.models import Case, CaseEvent
from passage.cases.services import workflow as service
from passage.cases.workflow import (
    ENDED,
    MAIN_LINE,
    PAUSED,
    TRANSITIONS,
    Move,
    Stage,
    position,
    rule_for,
)
from tests.cases.conftest import person
from tests.cases.helpers import (
    REASON,
    audit_entries,
    audit_text,
    case_key_ids,
    fresh,
    move,
    raw_key_id,
    raw_value,
    to_assessment,
    to_stage,
)

pytestmark = pytest.mark.django_db

PLAIN = sorted(
    (pair for pair, rule in TRANSITIONS.items() if not rule.needs_approval),
    key=lambda p: (p[0].value, p[1].value),
)
NEEDS_REASON = [pair for pair in PLAIN if TRANSITIONS[pair].reason_required]
ILLEGAL = [(a, b) for a in Stage for b in Stage if (a, b) not in TRANSITIONS]


def ids(pair: tuple[Stage, Stage]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def place(case: Case, stage: Stage) -> Case:
    """Write the plain columns a case in ``stage`` would have (verified, paused late)."""
    values: dict[str, object] = {
        "stage": stage,
        "verification_outcome": Case.Verification.VERIFIED,
        "paused_from": Stage.SETTLEMENT if stage in PAUSED else "",
    }
    if stage in ENDED:
        values |= {"closed_at": timezone.now(), "outcome": Case.Outcome.OTHER}
    Case.objects.filter(pk=case.pk).update(**values)
    return fresh(case)


def test_the_table_has_the_moves_the_design_names() -> None:
    # Forward along the main line, one step at a time; approved only through four eyes.
    for here, there in itertools.pairwise(MAIN_LINE):
        assert rule_for(here, there) is not None
    assert rule_for(Stage.ASSESSMENT, Stage.APPROVED).needs_approval  # type: ignore[union-attr]
    assert rule_for(Stage.ASSESSMENT, Stage.APPROVED).needs_verified  # type: ignore[union-attr]
    assert rule_for(Stage.NEW, Stage.APPROVED) is None
    assert rule_for(Stage.SCREENING, Stage.ARRIVED) is None
    assert rule_for(Stage.SCREENING, Stage.NEW) is None  # nothing goes back to "new"
    for ended in ENDED:
        assert [there for (here, there) in TRANSITIONS if here == ended] == [Stage.SCREENING]
    assert len(ILLEGAL) + len(TRANSITIONS) == len(Stage) ** 2


@pytest.mark.parametrize("pair", PLAIN, ids=ids)
def test_every_allowed_move_works(
    pair: tuple[Stage, Stage], open_case: Callable[..., Case], caseworker: User
) -> None:
    here, there = pair
    rule = TRANSITIONS[pair]
    case = place(open_case(), here)
    moment = timezone.now() + dt.timedelta(minutes=5)
    reason = REASON if rule.reason_required else ""

    moved = service.case_transition(
        case=case, to_stage=there, actor=caseworker, reason=reason, now=moment
    )

    stored = fresh(moved)
    assert stored.stage == there
    assert stored.stage_entered_at == moment
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STAGE)
    assert (event.from_stage, event.to_stage, event.detail) == (here, there, rule.move.value)
    assert event.actor == caseworker
    assert event.note == (reason or None)
    assert len(audit_entries("case.stage_changed", case.pk)) == 1
    if rule.move is Move.PAUSE:
        assert stored.paused_from == (Stage.SETTLEMENT if here in PAUSED else here)
    else:
        assert stored.paused_from == ""
    if rule.move is Move.END:
        assert stored.closed_at == moment
        assert stored.outcome
        assert not stored.is_open
    if rule.move is Move.REOPEN:
        assert stored.closed_at is None
        assert stored.outcome == ""
        assert stored.is_open


@pytest.mark.parametrize("pair", ILLEGAL, ids=ids)
def test_every_move_outside_the_table_is_refused(
    pair: tuple[Stage, Stage], open_case: Callable[..., Case], caseworker: User
) -> None:
    here, there = pair
    case = place(open_case(), here)
    with pytest.raises(TransitionRefused) as refused:
        service.case_transition(case=case, to_stage=there, actor=caseworker, reason=REASON)
    assert str(refused.value) == f"A case in “{here.label}” cannot be moved to “{there.label}”."
    assert fresh(case).stage == here
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STAGE).exists()
    assert not audit_entries("case.stage_changed", case.pk)


@pytest.mark.parametrize(
    ("here", "there"),
    [(Stage.NEW, Stage.APPROVED), (Stage.SCREENING, Stage.ARRIVED), (Stage.NEW, Stage.CLOSED)],
)
def test_examples_from_the_brief_through_real_history(
    here: Stage, there: Stage, open_case: Callable[..., Case], caseworker: User
) -> None:
    case = (
        move(open_case(), caseworker, Stage.SCREENING) if here == Stage.SCREENING else open_case()
    )
    if there == Stage.CLOSED:
        # new -> closed is allowed, but only with a reason.
        with pytest.raises(TransitionRefused, match="Give the reason"):
            service.case_transition(case=case, to_stage=there, actor=caseworker)
        return
    with pytest.raises(TransitionRefused, match="cannot be moved to"):
        service.case_transition(case=case, to_stage=there, actor=caseworker, reason=REASON)


@pytest.mark.parametrize("pair", NEEDS_REASON, ids=ids)
@pytest.mark.parametrize("reason", ["", "  ", "ab"])
def test_moves_that_need_a_reason_refuse_without_one(
    pair: tuple[Stage, Stage], reason: str, open_case: Callable[..., Case], caseworker: User
) -> None:
    here, there = pair
    case = place(open_case(), here)
    with pytest.raises(TransitionRefused) as refused:
        service.case_transition(case=case, to_stage=there, actor=caseworker, reason=reason)
    assert str(refused.value) == "Give the reason for this move."
    assert fresh(case).stage == here


def test_backward_closing_and_declining_need_reasons_and_others_do_not() -> None:
    for (here, there), rule in TRANSITIONS.items():
        if rule.move is Move.BACKWARD or there in {Stage.CLOSED, Stage.DECLINED}:
            assert rule.reason_required, (here, there)
        if rule.move is Move.BACKWARD:
            assert position(there) < position(here)
    assert not rule_for(Stage.NEW, Stage.SCREENING).reason_required  # type: ignore[union-attr]


def test_unknown_stage_is_refused(open_case: Callable[..., Case], caseworker: User) -> None:
    case = open_case()
    with pytest.raises(TransitionRefused, match="Unknown stage"):
        service.case_transition(case=case, to_stage="nowhere", actor=caseworker, reason=REASON)


def test_approved_is_reached_only_through_four_eyes(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    unverified = to_assessment(open_case(), caseworker, verifier, verified=False)
    with pytest.raises(TransitionRefused, match="only after verification"):
        service.case_transition(
            case=unverified, to_stage=Stage.APPROVED, actor=caseworker, reason=REASON
        )
    verified = to_assessment(open_case("Second Person"), caseworker, verifier)
    for actor in (caseworker, verifier):
        with pytest.raises(TransitionRefused, match="needs four eyes"):
            service.case_transition(
                case=verified, to_stage=Stage.APPROVED, actor=actor, reason=REASON
            )
    assert fresh(verified).stage == Stage.ASSESSMENT
    assert Stage.APPROVED not in service.allowed_targets(fresh(verified))


def test_pause_remembers_the_stage_and_resume_cannot_go_past_it(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    case = to_assessment(open_case(), caseworker, verifier)
    with pytest.raises(TransitionRefused, match="Give the reason"):
        service.case_transition(case=case, to_stage=Stage.ON_HOLD, actor=caseworker)
    case = service.case_transition(
        case=case, to_stage=Stage.ON_HOLD, actor=caseworker, reason="waiting for a passport"
    )
    assert fresh(case).paused_from == Stage.ASSESSMENT
    # Lost contact while on hold keeps the stage the case left (no reason needed for it).
    case = service.case_transition(case=case, to_stage=Stage.LOST_CONTACT, actor=caseworker)
    assert (fresh(case).stage, fresh(case).paused_from) == (Stage.LOST_CONTACT, Stage.ASSESSMENT)
    for beyond in (Stage.APPROVED, Stage.PLANNING, Stage.SETTLEMENT):
        with pytest.raises(TransitionRefused) as refused:
            service.case_transition(case=case, to_stage=beyond, actor=caseworker, reason=REASON)
        assert "resumes at the stage it left (“Assessment”)" in str(refused.value)
    assert service.allowed_targets(fresh(case)) == [
        Stage.SCREENING,
        Stage.VERIFICATION,
        Stage.ASSESSMENT,
        Stage.DECLINED,
        Stage.REFERRED_OUT,
        Stage.CLOSED,
        Stage.ON_HOLD,
    ]
    resumed = service.case_transition(case=case, to_stage=Stage.ASSESSMENT, actor=caseworker)
    stored = fresh(resumed)
    assert (stored.stage, stored.paused_from) == (Stage.ASSESSMENT, "")


def test_resume_may_go_back_earlier_than_the_stage_left(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    case = to_stage(open_case(), caseworker, verifier, Stage.PLANNING)
    case = service.case_transition(case=case, to_stage=Stage.LOST_CONTACT, actor=caseworker)
    assert fresh(case).paused_from == Stage.PLANNING
    # Approved was reached through four eyes before the pause: resuming there is fine.
    resumed = service.case_transition(case=case, to_stage=Stage.APPROVED, actor=caseworker)
    assert fresh(resumed).stage == Stage.APPROVED


def test_decline_and_reopen(open_case: Callable[..., Case], caseworker: User) -> None:
    case = move(open_case(), caseworker, Stage.SCREENING)
    with pytest.raises(TransitionRefused, match="Give the reason"):
        service.case_transition(case=case, to_stage=Stage.DECLINED, actor=caseworker)
    case = service.case_transition(
        case=case, to_stage=Stage.DECLINED, actor=caseworker, reason="outside our mandate"
    )
    stored = fresh(case)
    assert (stored.stage, stored.outcome, stored.is_open) == (Stage.DECLINED, "declined", False)
    assert stored.closed_at is not None
    with pytest.raises(TransitionRefused, match="Give the reason"):
        service.case_transition(case=case, to_stage=Stage.SCREENING, actor=caseworker)
    with pytest.raises(TransitionRefused, match="cannot be moved"):
        service.case_transition(
            case=case, to_stage=Stage.VERIFICATION, actor=caseworker, reason=REASON
        )
    reopened = service.case_transition(
        case=case, to_stage=Stage.SCREENING, actor=caseworker, reason="new danger reported"
    )
    stored = fresh(reopened)
    assert (stored.stage, stored.outcome, stored.closed_at) == (Stage.SCREENING, "", None)


def test_closing_needs_a_reason_and_keeps_a_known_outcome(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    case = to_stage(open_case(), caseworker, verifier, Stage.SETTLEMENT)
    with pytest.raises(TransitionRefused, match="Give the reason"):
        service.case_transition(case=case, to_stage=Stage.CLOSED, actor=caseworker)
    for wrong in ("happy", "merged", "declined"):
        with pytest.raises(TransitionRefused, match="outcomes offered for closing"):
            service.case_transition(
                case=case, to_stage=Stage.CLOSED, actor=caseworker, reason=REASON, outcome=wrong
            )
    closed = service.case_transition(
        case=case, to_stage=Stage.CLOSED, actor=caseworker, reason=REASON, outcome="settled"
    )
    assert (fresh(closed).stage, fresh(closed).outcome) == (Stage.CLOSED, "settled")


def test_a_backward_move_needs_a_reason(
    open_case: Callable[..., Case], caseworker: User, verifier: User
) -> None:
    case = to_stage(open_case(), caseworker, verifier, Stage.PLANNING)
    with pytest.raises(TransitionRefused, match="Give the reason"):
        service.case_transition(case=case, to_stage=Stage.APPROVED, actor=caseworker)
    back = service.case_transition(
        case=case, to_stage=Stage.ASSESSMENT, actor=caseworker, reason="visa refused, rethink"
    )
    assert fresh(back).stage == Stage.ASSESSMENT
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STAGE).order_by("at").last()
    assert event is not None and event.detail == Move.BACKWARD.value


def test_each_transition_writes_an_encrypted_event_and_an_audit_entry(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    secret = "Zaur threatened her at the Grozny bus station"
    case = open_case(details=person("Khadizhat Marker"))
    case = move(case, caseworker, Stage.SCREENING)
    case = service.case_transition(
        case=case, to_stage=Stage.DECLINED, actor=caseworker, reason=secret
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STAGE, to_stage=Stage.DECLINED)
    raw = raw_value("cases_caseevent", "note", event.pk)
    assert isinstance(raw, bytes)
    assert secret.encode() not in raw
    assert b"Grozny" not in raw
    assert raw_key_id("cases_caseevent", "note", event.pk) in case_key_ids(case)
    assert fresh_event(event).note == secret
    # Plain operational columns of the event are there.
    assert raw_value("cases_caseevent", "to_stage", event.pk) == "declined"

    entries = audit_entries("case.stage_changed", case.pk)
    assert len(entries) == 2
    assert {e.object_type for e in entries} == {"case"}
    assert {e.actor for e in entries} == {f"user:{caseworker.pk}"}
    text = audit_text()
    for personal in ("Grozny", "Zaur", "Khadizhat", "Marker"):
        assert personal not in text


def fresh_event(event: CaseEvent) -> CaseEvent:
    return CaseEvent.objects.get(pk=event.pk)


def test_only_people_who_work_the_case_move_it(
    open_case: Callable[..., Case],
    caseworker: User,
    colleague: User,
    screener: User,
    partner_user: User,
    auditor: User,
    admin: User,
) -> None:
    case = open_case()
    for outsider in (colleague, partner_user, auditor, admin):
        with pytest.raises(CaseNotFound):
            service.case_transition(case=case, to_stage=Stage.SCREENING, actor=outsider)
    assert fresh(case).stage == Stage.NEW
    moved = service.case_transition(case=case, to_stage=Stage.SCREENING, actor=screener)
    assert fresh(moved).stage == Stage.SCREENING


def test_allowed_targets_of_a_new_case(open_case: Callable[..., Case]) -> None:
    assert service.allowed_targets(open_case()) == [
        Stage.SCREENING,
        Stage.ON_HOLD,
        Stage.LOST_CONTACT,
        Stage.DECLINED,
        Stage.REFERRED_OUT,
        Stage.CLOSED,
    ]


def test_referral_out_without_a_named_organisation_needs_only_a_reason(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    case = open_case()
    moved = service.case_transition(
        case=case, to_stage=Stage.REFERRED_OUT, actor=caseworker, reason="a lawyer is better"
    )
    assert (fresh(moved).stage, fresh(moved).outcome) == (Stage.REFERRED_OUT, "referred")
