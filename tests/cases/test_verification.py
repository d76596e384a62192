"""services.verification: the checklist, the outcome, and freezing a suspected-hostile case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.visibility import Access
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.alerts.services import break_glass_open
from passage.cases import access, queries
from passage.cases.exceptions import (
    CaseNotFound,
    ConsentMissing,
    InvalidInput,
    MergeRefused,
    NotAllowed,
    TransitionRefused,
)
from passage.cases.models import Case, CaseEvent, VerificationItem
from passage.cases.services import consent, duplicates, opening, verification, workflow
from passage.cases.workflow import Stage
from tests.cases.conftest import person
from tests.cases.helpers import REASON, audit_entries, fresh, interview, move, raw_value

pytestmark = pytest.mark.django_db

Kind = VerificationItem.Kind
YESTERDAY = dt.date.today() - dt.timedelta(days=1)  # noqa: DTZ011 -- a calendar date


def add(
    case: Case, actor: User, kind: str, details: dict[str, Any], **kwargs: Any
) -> VerificationItem:
    return verification.verification_item_add(
        case=case, kind=kind, details=details, actor=actor, **kwargs
    )


def outcome(case: Case, actor: User, value: str, note: str = "explained in the interview") -> Case:
    return verification.verification_outcome_record(
        case=case, outcome=value, note=note, actor=actor
    )


def hostile(case: Case, verifier: User) -> Case:
    return outcome(case, verifier, Case.Verification.SUSPECTED_HOSTILE, "asked for the safe house")


# --- The checklist ---------------------------------------------------------------------------


def test_each_kind_of_check_is_validated_and_stored_encrypted(
    open_case: Callable[..., Case], verifier: User, partner_org: PartnerOrganisation
) -> None:
    case = open_case()
    vouch = add(
        case,
        verifier,
        Kind.VOUCH,
        {"contact_person": "Aslan from the network"},
        vouching_partner=partner_org,
    )
    assert vouch.details == {"contact_person": "Aslan from the network"}
    assert vouch.vouching_partner == partner_org
    raw = raw_value("cases_verificationitem", "details", vouch.pk)
    assert isinstance(raw, bytes) and b"Aslan" not in raw

    held = add(
        case,
        verifier,
        Kind.INTERVIEW,
        {"held_on": YESTERDAY, "channel": "voice"},
        interviewer=verifier,
    )
    assert VerificationItem.objects.get(pk=held.pk).details == {
        "held_on": YESTERDAY.isoformat(),
        "channel": "voice",
    }
    document = add(
        case,
        verifier,
        Kind.DOCUMENT,
        {"document_type": "internal_passport", "checked": "photo and stamps"},
    )
    assert document.details["document_type"] == "internal_passport"
    consistency = add(case, verifier, Kind.CONSISTENCY, {"result": "minor_gaps"})
    assert consistency.details == {"result": "minor_gaps"}
    flags = add(case, verifier, Kind.RED_FLAG, {"flags": ["scripted_story", "scripted_story"]})
    assert flags.details == {"flags": ["scripted_story"]}
    assert VerificationItem.objects.filter(case=case).count() == 5
    assert CaseEvent.objects.filter(case=case, kind="verification").count() == 5
    assert len(audit_entries("case.verification_item_added", case.pk)) == 5


@pytest.mark.parametrize(
    ("kind", "details", "extra", "message"),
    [
        ("vouch", {"contact_person": "Aslan"}, {}, "organisation that vouches"),
        ("vouch", {"contact_person": " "}, {"partner": True}, "contact person"),
        ("interview", {"held_on": YESTERDAY, "channel": "video"}, {}, "who held the interview"),
        ("interview", {"held_on": "yesterday", "channel": "video"}, {"interviewer": True}, "date"),
        (
            "interview",
            {"held_on": dt.date.today() + dt.timedelta(days=2), "channel": "video"},  # noqa: DTZ011
            {"interviewer": True},
            "not in the future",
        ),
        ("interview", {"held_on": YESTERDAY, "channel": "pigeon"}, {"interviewer": True}, "how"),
        ("document", {"document_type": "diary", "checked": "x"}, {}, "type of document"),
        ("document", {"document_type": "military_id", "checked": ""}, {}, "what was checked"),
        ("consistency", {"result": "fine"}, {}, "result"),
        ("red_flag", {"flags": []}, {}, "at least one red flag"),
        ("red_flag", {"flags": ["bad_vibes"]}, {}, "at least one red flag"),
        ("red_flag", {"flags": ["other"]}, {}, "Describe the other warning sign"),
        ("gut_feeling", {}, {}, "Unknown kind"),
    ],
)
def test_invalid_checks_are_refused_with_a_clear_message(
    kind: str,
    details: dict[str, Any],
    extra: dict[str, bool],
    message: str,
    open_case: Callable[..., Case],
    verifier: User,
    partner_org: PartnerOrganisation,
) -> None:
    case = open_case()
    kwargs: dict[str, Any] = {}
    if extra.get("partner"):
        kwargs["vouching_partner"] = partner_org
    if extra.get("interviewer"):
        kwargs["interviewer"] = verifier
    with pytest.raises(InvalidInput, match=message):
        add(case, verifier, kind, details, **kwargs)
    assert not VerificationItem.objects.exists()


def test_only_verifiers_who_work_the_case_run_verification(
    open_case: Callable[..., Case], caseworker: User, colleague: User, verifier: User
) -> None:
    case = open_case()
    with pytest.raises(NotAllowed, match="role does not allow"):
        add(case, caseworker, Kind.CONSISTENCY, {"result": "consistent"})
    with pytest.raises(CaseNotFound):
        add(case, colleague, Kind.CONSISTENCY, {"result": "consistent"})
    with pytest.raises(NotAllowed):
        outcome(case, caseworker, Case.Verification.VERIFIED)
    assert add(case, verifier, Kind.CONSISTENCY, {"result": "consistent"}).pk


# --- The outcome -----------------------------------------------------------------------------


def test_verified_needs_a_check_other_than_red_flags(
    open_case: Callable[..., Case], verifier: User
) -> None:
    case = open_case()
    with pytest.raises(InvalidInput, match="at least one check"):
        outcome(case, verifier, Case.Verification.VERIFIED)
    add(case, verifier, Kind.RED_FLAG, {"flags": ["unexpected_channel"]})
    with pytest.raises(InvalidInput, match="at least one check"):
        outcome(case, verifier, Case.Verification.VERIFIED)
    assert fresh(case).verification_outcome == ""
    interview(case, verifier)
    assert outcome(case, verifier, Case.Verification.VERIFIED).verification_outcome == "verified"


def test_an_outcome_needs_a_known_value_and_an_explanation(
    open_case: Callable[..., Case], verifier: User
) -> None:
    case = open_case()
    with pytest.raises(InvalidInput, match="Choose an outcome"):
        outcome(case, verifier, "probably fine")
    with pytest.raises(InvalidInput, match="at least 10"):
        outcome(case, verifier, Case.Verification.NOT_VERIFIED, note="hmm")
    recorded = outcome(case, verifier, Case.Verification.NOT_VERIFIED, note="no reachable vouch")
    assert fresh(recorded).verification_outcome == "not_verified"
    event = CaseEvent.objects.get(case=case, detail="outcome_not_verified")
    assert event.note == "no reachable vouch"
    raw = raw_value("cases_caseevent", "note", event.pk)
    assert isinstance(raw, bytes) and b"reachable" not in raw


# --- Suspected hostile -----------------------------------------------------------------------


def test_suspected_hostile_freezes_and_alerts_the_desk_lead_only(
    open_case: Callable[..., Case],
    verifier: User,
    desk_lead: User,
    caseworker: User,
    south_lead: User,
    admin: User,
) -> None:
    case = open_case()
    frozen = hostile(case, verifier)
    stored = fresh(frozen)
    assert stored.is_frozen and stored.frozen_reason == "suspected_hostile"
    alert = Alert.objects.get(code=kinds.SUSPECTED_HOSTILE)
    assert alert.severity == Alert.Severity.CRITICAL
    assert alert.case_reference == case.reference
    assert list(alerts_for(desk_lead)) == [alert]
    for other in (verifier, caseworker, south_lead, admin):
        assert alert not in alerts_for(other)
    assert audit_entries("case.frozen", case.pk)
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.FROZEN).count() == 1
    # Recording it again neither re-freezes nor re-alerts.
    hostile(case, verifier)
    assert Alert.objects.filter(code=kinds.SUSPECTED_HOSTILE).count() == 1


def test_a_frozen_case_is_hidden_from_the_referring_partner(
    desk_north: Desk, partner_user: User, verifier: User
) -> None:
    case = opening.referral_submit(
        actor=partner_user, desk=desk_north, person=person("Referred Person")
    )
    assert access.access_to(partner_user, case) is Access.PARTNER
    assert case in access.visible_cases(partner_user)
    assert queries.partner_case(partner_user, case.pk) is not None
    hostile(case, verifier)
    frozen = fresh(case)
    assert access.access_to(partner_user, frozen) is Access.NONE
    assert frozen not in access.visible_cases(partner_user)
    assert list(queries.partner_referrals(partner_user)) == []
    assert queries.partner_case(partner_user, case.pk) is None


def test_a_frozen_case_stops_break_glass(
    open_case: Callable[..., Case], colleague: User, verifier: User, caseworker: User
) -> None:
    case = open_case()
    assert access.access_to(colleague, case) is Access.NONE
    break_glass_open(
        user=colleague,
        case_id=case.pk,
        desk_id=case.desk_id,
        reason="same phone number as my case, checking",
        case_reference=case.reference,
    )
    assert access.access_to(colleague, case) is Access.BREAK_GLASS
    assert case in access.visible_cases(colleague)
    hostile(case, verifier)
    frozen = fresh(case)
    assert access.access_to(colleague, frozen) is Access.NONE
    assert frozen not in access.visible_cases(colleague)
    assert queries.case_for(colleague, case.pk) is None
    # The desk keeps access: they may have to act at once.
    assert access.access_to(caseworker, frozen) is Access.DESK


def test_a_frozen_case_cannot_move_on_share_or_merge(
    open_case: Callable[..., Case],
    caseworker: User,
    verifier: User,
    partner_org: PartnerOrganisation,
) -> None:
    case = move(open_case(), caseworker, Stage.SCREENING, Stage.VERIFICATION)
    other = open_case("Other Person")
    consent.consent_record(
        case=case,
        recipient_kind="ngo",
        sections={"person"},
        given_on=timezone.localdate(),
        how_given="on a call",
        actor=caseworker,
    )
    hostile(case, verifier)
    with pytest.raises(TransitionRefused, match="frozen"):
        workflow.case_transition(case=case, to_stage=Stage.ASSESSMENT, actor=caseworker)
    with pytest.raises(ConsentMissing, match="frozen"):
        consent.case_share(case=case, partner=partner_org, sections={"person"}, actor=caseworker)
    with pytest.raises(MergeRefused, match="frozen"):
        duplicates.cases_merge(survivor=other, merged=case, actor=caseworker)
    # Stepping back or ending the case stays possible.
    back = workflow.case_transition(
        case=case, to_stage=Stage.SCREENING, actor=caseworker, reason=REASON
    )
    assert fresh(back).stage == Stage.SCREENING
    declined = workflow.case_transition(
        case=back, to_stage=Stage.DECLINED, actor=caseworker, reason="suspected infiltration"
    )
    assert fresh(declined).stage == Stage.DECLINED
    with pytest.raises(TransitionRefused, match="frozen"):
        workflow.case_transition(
            case=declined, to_stage=Stage.SCREENING, actor=caseworker, reason=REASON
        )


def test_a_frozen_case_cannot_be_referred_out_to_an_organisation(
    open_case: Callable[..., Case],
    caseworker: User,
    verifier: User,
    partner_org: PartnerOrganisation,
) -> None:
    case = open_case()
    consent.consent_record(
        case=case,
        recipient_kind="ngo",
        sections={"person"},
        given_on=timezone.localdate(),
        how_given="on a call",
        actor=caseworker,
    )
    hostile(case, verifier)
    with pytest.raises(TransitionRefused, match="frozen"):
        workflow.case_transition(
            case=case,
            to_stage=Stage.REFERRED_OUT,
            actor=caseworker,
            reason="their network can help",
            referred_to=partner_org,
        )
    assert fresh(case).stage == Stage.NEW


def test_unfreeze_only_by_the_desk_lead_and_only_after_a_new_outcome(
    open_case: Callable[..., Case],
    verifier: User,
    desk_lead: User,
    caseworker: User,
    south_lead: User,
) -> None:
    case = open_case()
    hostile(case, verifier)
    reason = "second interview cleared the suspicion"
    with pytest.raises(NotAllowed):
        verification.case_unfreeze(case=case, reason=reason, actor=caseworker)
    with pytest.raises(NotAllowed):
        verification.case_unfreeze(case=case, reason=reason, actor=verifier)
    with pytest.raises(CaseNotFound):
        verification.case_unfreeze(case=case, reason=reason, actor=south_lead)
    with pytest.raises(InvalidInput, match="record a new outcome first"):
        verification.case_unfreeze(case=case, reason=reason, actor=desk_lead)
    with pytest.raises(InvalidInput, match="at least 10"):
        verification.case_unfreeze(case=case, reason="ok", actor=desk_lead)
    assert fresh(case).is_frozen

    outcome(case, verifier, Case.Verification.NOT_VERIFIED, "the suspicion was a misunderstanding")
    assert fresh(case).is_frozen  # a new outcome alone does not unfreeze
    unfrozen = verification.case_unfreeze(case=case, reason=reason, actor=desk_lead)
    stored = fresh(unfrozen)
    assert (stored.is_frozen, stored.frozen_reason) == (False, "")
    assert CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.UNFROZEN).note == reason
    assert audit_entries("case.unfrozen", case.pk)
    with pytest.raises(InvalidInput, match="not frozen"):
        verification.case_unfreeze(case=case, reason=reason, actor=desk_lead)
    moved = workflow.case_transition(case=case, to_stage=Stage.SCREENING, actor=caseworker)
    assert fresh(moved).stage == Stage.SCREENING
