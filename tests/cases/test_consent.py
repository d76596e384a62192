"""services.consent: what the person agreed may be shared, and every share checking it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.visibility import Access
from passage.cases import access, queries
from passage.cases.exceptions import ConsentMissing, InvalidInput, NotAllowed, TransitionRefused
from passage.cases.models import Case, CaseShare, Consent
from passage.cases.services import consent, workflow
from passage.cases.workflow import Stage
from tests.cases.helpers import audit_entries, fresh, raw_value

pytestmark = pytest.mark.django_db

Kind = PartnerOrganisation.Kind


def record(
    case: Case,
    actor: User,
    kind: str = Kind.NGO,
    sections: set[str] | None = None,
    partner: PartnerOrganisation | None = None,
) -> Consent:
    return consent.consent_record(
        case=case,
        recipient_kind=kind,
        sections=sections or {"person", "contact"},
        given_on=timezone.localdate(),
        how_given="agreed on a Signal call with Lena",
        actor=actor,
        partner=partner,
    )


def share(case: Case, partner: PartnerOrganisation, actor: User, sections: set[str]) -> CaseShare:
    return consent.case_share(case=case, partner=partner, sections=sections, actor=actor)


@pytest.fixture
def second_lawyer(desk_north: Desk) -> PartnerOrganisation:
    org = PartnerOrganisation.objects.create(code="P-009", name="Other lawyer", kind=Kind.LAWYER)
    org.desks.add(desk_north)
    return org


def test_sharing_without_consent_is_refused(
    open_case: Callable[..., Case], caseworker: User, partner_org: PartnerOrganisation
) -> None:
    case = open_case()
    with pytest.raises(ConsentMissing) as refused:
        share(case, partner_org, caseworker, {"person"})
    assert "No consent of the person covers sharing this with P-001" in str(refused.value)
    assert not CaseShare.objects.exists()


def test_a_consent_for_a_kind_covers_every_organisation_of_that_kind(
    open_case: Callable[..., Case],
    caseworker: User,
    partner_org: PartnerOrganisation,
    other_partner_org: PartnerOrganisation,
) -> None:
    case = open_case()
    given = record(case, caseworker, kind=Kind.NGO)
    made = share(case, partner_org, caseworker, {"person"})
    assert made.consent == given
    assert made.sections == ["person"]
    with pytest.raises(ConsentMissing):
        share(case, other_partner_org, caseworker, {"person"})  # a lawyer, not an NGO
    assert audit_entries("case.shared", made.pk)


def test_a_consent_for_a_named_organisation_covers_only_that_one(
    open_case: Callable[..., Case],
    caseworker: User,
    other_partner_org: PartnerOrganisation,
    second_lawyer: PartnerOrganisation,
) -> None:
    case = open_case()
    record(case, caseworker, kind=Kind.LAWYER, partner=other_partner_org)
    assert share(case, other_partner_org, caseworker, {"contact"}).pk
    with pytest.raises(ConsentMissing):
        share(case, second_lawyer, caseworker, {"contact"})


def test_a_consent_covers_only_its_sections(
    open_case: Callable[..., Case], caseworker: User, partner_org: PartnerOrganisation
) -> None:
    case = open_case()
    record(case, caseworker, sections={"person"})
    with pytest.raises(ConsentMissing):
        share(case, partner_org, caseworker, {"person", "narrative"})
    with pytest.raises(ConsentMissing):
        share(case, partner_org, caseworker, {"needs"})
    assert share(case, partner_org, caseworker, {"person"}).sections == ["person"]
    record(case, caseworker, sections={"person", "narrative"})
    assert share(case, partner_org, caseworker, {"person", "narrative"}).sections == [
        "narrative",
        "person",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"recipient_kind": "journalist"}, "who may receive it"),
        ({"sections": set()}, "at least one part"),
        ({"sections": {"person", "safe_house"}}, "Unknown part"),
        ({"given_on": dt.date.today() + dt.timedelta(days=1)}, "cannot be in the future"),  # noqa: DTZ011
        ({"how_given": "   "}, "how the person gave consent"),
        ({"named": True}, "not of the kind chosen"),
    ],
)
def test_a_consent_must_be_complete(
    kwargs: dict[str, object],
    message: str,
    open_case: Callable[..., Case],
    caseworker: User,
    other_partner_org: PartnerOrganisation,
) -> None:
    values: dict[str, object] = {
        "recipient_kind": Kind.NGO,
        "sections": {"person"},
        "given_on": timezone.localdate(),
        "how_given": "in writing",
    }
    if kwargs.pop("named", False):
        values["partner"] = other_partner_org  # a lawyer, recorded as an NGO consent
    values.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        consent.consent_record(case=open_case(), actor=caseworker, **values)  # type: ignore[arg-type]
    assert not Consent.objects.exists()


def test_how_consent_was_given_is_encrypted(
    open_case: Callable[..., Case], caseworker: User
) -> None:
    given = record(open_case(), caseworker)
    raw = raw_value("cases_consent", "how_given", given.pk)
    assert isinstance(raw, bytes) and b"Lena" not in raw
    assert Consent.objects.get(pk=given.pk).how_given == "agreed on a Signal call with Lena"
    assert raw_value("cases_consent", "recipient_kind", given.pk) == "ngo"


def test_withdrawal_revokes_the_shares_made_under_it(
    open_case: Callable[..., Case],
    caseworker: User,
    partner_org: PartnerOrganisation,
    partner_user: User,
) -> None:
    case = open_case()
    given = record(case, caseworker)
    share(case, partner_org, caseworker, {"person"})
    share(case, partner_org, caseworker, {"contact"})
    assert access.access_to(partner_user, case) is Access.PARTNER
    assert queries.partner_case(partner_user, case.pk).sections == {"person", "contact"}  # type: ignore[union-attr]

    assert consent.consent_withdraw(consent=given, actor=caseworker) == 2
    assert not CaseShare.objects.filter(case=case, revoked_at__isnull=True).exists()
    assert Consent.objects.get(pk=given.pk).withdrawn_by == caseworker
    assert access.access_to(partner_user, fresh(case)) is Access.NONE
    assert case not in access.visible_cases(partner_user)
    with pytest.raises(ConsentMissing):
        share(case, partner_org, caseworker, {"person"})
    with pytest.raises(InvalidInput, match="withdrawn already"):
        consent.consent_withdraw(consent=given, actor=caseworker)
    assert audit_entries("consent.withdrawn", given.pk)


def test_withdrawal_leaves_shares_under_other_consents(
    open_case: Callable[..., Case], caseworker: User, partner_org: PartnerOrganisation
) -> None:
    case = open_case()
    first = record(case, caseworker, sections={"person"})
    kept = share(case, partner_org, caseworker, {"person"})
    consent.consent_withdraw(consent=first, actor=caseworker)
    assert CaseShare.objects.get(pk=kept.pk).revoked_at is not None
    second = record(case, caseworker, sections={"needs"})
    other = share(case, partner_org, caseworker, {"needs"})
    third = record(case, caseworker, sections={"person"})
    consent.consent_withdraw(consent=third, actor=caseworker)
    assert CaseShare.objects.get(pk=other.pk).revoked_at is None
    assert other.consent == second


def test_a_share_can_be_revoked_once(
    open_case: Callable[..., Case],
    caseworker: User,
    partner_org: PartnerOrganisation,
    partner_user: User,
) -> None:
    case = open_case()
    record(case, caseworker)
    made = share(case, partner_org, caseworker, {"person"})
    consent.case_share_revoke(share=made, actor=caseworker)
    assert access.access_to(partner_user, case) is Access.NONE
    with pytest.raises(InvalidInput, match="revoked already"):
        consent.case_share_revoke(share=made, actor=caseworker)


def test_sharing_needs_the_share_permission_and_an_active_organisation(
    open_case: Callable[..., Case],
    caseworker: User,
    screener: User,
    partner_org: PartnerOrganisation,
) -> None:
    case = open_case()
    record(case, caseworker)
    with pytest.raises(NotAllowed):
        share(case, partner_org, screener, {"person"})
    PartnerOrganisation.objects.filter(pk=partner_org.pk).update(is_active=False)
    partner_org.refresh_from_db()
    with pytest.raises(InvalidInput, match="deactivated"):
        share(case, partner_org, caseworker, {"person"})
    assert not CaseShare.objects.exists()


def test_referral_out_to_a_named_organisation_needs_consent(
    open_case: Callable[..., Case], caseworker: User, other_partner_org: PartnerOrganisation
) -> None:
    case = open_case()
    with pytest.raises(ConsentMissing):
        workflow.case_transition(
            case=case,
            to_stage=Stage.REFERRED_OUT,
            actor=caseworker,
            reason="a lawyer can take the asylum claim",
            referred_to=other_partner_org,
        )
    assert fresh(case).stage == Stage.NEW
    record(case, caseworker, kind=Kind.LAWYER, sections={"person"}, partner=other_partner_org)
    moved = workflow.case_transition(
        case=case,
        to_stage=Stage.REFERRED_OUT,
        actor=caseworker,
        reason="a lawyer can take the asylum claim",
        referred_to=other_partner_org,
    )
    assert (fresh(moved).stage, fresh(moved).outcome) == (Stage.REFERRED_OUT, "referred")
    [entry] = audit_entries("case.referred_out", other_partner_org.pk)
    assert entry.object_type == "partner"


def test_naming_an_organisation_is_only_for_a_referral_out_by_someone_who_may_share(
    open_case: Callable[..., Case],
    caseworker: User,
    screener: User,
    partner_org: PartnerOrganisation,
) -> None:
    case = open_case()
    record(case, caseworker)
    with pytest.raises(TransitionRefused, match="Only a referral out"):
        workflow.case_transition(
            case=case,
            to_stage=Stage.DECLINED,
            actor=caseworker,
            reason="x" * 5,
            referred_to=partner_org,
        )
    with pytest.raises(TransitionRefused, match="does not allow sharing"):
        workflow.case_transition(
            case=case,
            to_stage=Stage.REFERRED_OUT,
            actor=screener,
            reason="x" * 5,
            referred_to=partner_org,
        )
    assert fresh(case).stage == Stage.NEW


def test_sharing_needs_an_organisation_that_works_with_the_desk(
    open_case: Callable[..., Case], caseworker: User, south_partner_org: PartnerOrganisation
) -> None:
    case = open_case()
    record(case, caseworker, partner=south_partner_org)
    with pytest.raises(InvalidInput, match="does not work with the case's desk"):
        share(case, south_partner_org, caseworker, {"person"})
    assert not CaseShare.objects.filter(case=case).exists()
