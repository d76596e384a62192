"""services.opening.referral_submit and the partner portal queries: a partner refers a person
and sees only a coarse status and the sections shared with it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.visibility import Access
from passage.cases import access, queries
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case, CaseEvent
from passage.cases.services import consent, opening, workflow
from passage.cases.workflow import Stage
from tests.cases.conftest import channel, person
from tests.cases.helpers import REASON, audit_entries, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def refer(partner_user: User, desk_north: Desk) -> Callable[..., Case]:
    def make(name: str = "Referred Person", **kwargs: object) -> Case:
        return opening.referral_submit(
            actor=kwargs.pop("actor", partner_user),  # type: ignore[arg-type]
            desk=kwargs.pop("desk", desk_north),  # type: ignore[arg-type]
            person=person(name),
            **kwargs,  # type: ignore[arg-type]
        )

    return make


def test_a_partner_refers_into_a_desk_its_organisation_works_with(
    refer: Callable[..., Case],
    partner_user: User,
    partner_org: PartnerOrganisation,
    desk_north: Desk,
) -> None:
    case = refer(
        channels=[channel("+7 928 123-45-67", "phone")],
        urgency=Case.Urgency.IMMEDIATE,
        country="ru",
        region="Chechnya",
        narrative="Her brother found her messages.",
    )
    stored = fresh(case)
    assert stored.stage == Stage.NEW
    assert stored.source == Case.Source.PARTNER
    assert stored.referred_by == partner_org
    assert stored.desk == desk_north
    assert stored.country == "RU"
    assert stored.narrative == "Her brother found her messages."
    # "In danger now" counts as the immediate-danger factor.
    assert stored.triage_factors == {"immediate_danger": True}
    assert stored.priority_score == 30
    assert stored.people.get().chosen_name == "Referred Person"
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.OPENED)
    assert (event.actor, event.detail) == (partner_user, "partner")
    [entry] = audit_entries("case.opened", case.pk)
    assert entry.actor == f"user:{partner_user.pk}"


def test_a_partner_cannot_refer_into_another_desk(
    refer: Callable[..., Case], desk_south: Desk
) -> None:
    with pytest.raises(NotAllowed, match="does not work with this desk"):
        refer(desk=desk_south)
    assert not Case.objects.exists()


def test_a_referral_needs_a_name_and_a_partner(
    refer: Callable[..., Case], caseworker: User
) -> None:
    with pytest.raises(InvalidInput, match="name"):
        refer(name="  ")
    with pytest.raises(NotAllowed, match="partner organisation"):
        refer(actor=caseworker)
    assert not Case.objects.exists()


def test_a_deactivated_organisation_cannot_refer(
    refer: Callable[..., Case], partner_org: PartnerOrganisation
) -> None:
    PartnerOrganisation.objects.filter(pk=partner_org.pk).update(is_active=False)
    partner_org.refresh_from_db()  # the user's cached organisation is this object
    with pytest.raises(NotAllowed):
        refer()


def test_the_desk_sees_the_referral_in_its_inbox(
    refer: Callable[..., Case], caseworker: User, colleague: User
) -> None:
    case = refer()
    assert list(queries.inbox(caseworker)) == [case]
    assert list(queries.inbox(colleague)) == []


def test_the_partner_sees_a_coarse_status_only(
    refer: Callable[..., Case], partner_user: User, caseworker: User, verifier: User
) -> None:
    case = refer()
    assert list(queries.partner_referrals(partner_user)) == [case]
    assert queries.partner_status(case) == "received"
    moved = workflow.case_transition(case=case, to_stage=Stage.SCREENING, actor=caseworker)
    [seen] = queries.partner_referrals(partner_user)
    assert queries.partner_status(seen) == "in_progress"
    workflow.case_transition(
        case=moved, to_stage=Stage.LOST_CONTACT, actor=caseworker, reason=REASON
    )
    assert queries.partner_status(fresh(case)) == "in_progress"  # never the side state itself
    workflow.case_transition(
        case=moved, to_stage=Stage.DECLINED, actor=caseworker, reason="outside our mandate"
    )
    assert queries.partner_status(fresh(case)) == "not_taken_on"


def test_the_partner_sees_only_the_sections_shared_with_it(
    refer: Callable[..., Case],
    partner_user: User,
    partner_org: PartnerOrganisation,
    caseworker: User,
) -> None:
    case = refer()
    view = queries.partner_case(partner_user, case.pk)
    assert view is not None
    assert (view.referred, view.sections) == (True, set())
    consent.consent_record(
        case=case,
        recipient_kind="ngo",
        sections={"person", "contact"},
        given_on=timezone.localdate(),
        how_given="on the phone",
        actor=caseworker,
    )
    consent.case_share(case=case, partner=partner_org, sections={"person"}, actor=caseworker)
    view = queries.partner_case(partner_user, case.pk)
    assert view is not None and view.sections == {"person"}
    # Partners read through the portal only, never through the staff case page.
    assert queries.case_for(partner_user, case.pk) is None
    assert access.access_to(partner_user, case) is Access.PARTNER


def test_the_partner_cannot_work_the_case(refer: Callable[..., Case], partner_user: User) -> None:
    case = refer()
    with pytest.raises(NotAllowed, match="read this case but not change it"):
        workflow.case_transition(case=case, to_stage=Stage.SCREENING, actor=partner_user)
    assert fresh(case).stage == Stage.NEW


def test_other_partners_and_other_desks_cannot_see_it(
    refer: Callable[..., Case],
    other_partner_user: User,
    colleague: User,
    south_lead: User,
) -> None:
    case = refer()
    assert list(queries.partner_referrals(other_partner_user)) == []
    assert queries.partner_case(other_partner_user, case.pk) is None
    assert list(queries.partner_shared_cases(other_partner_user)) == []
    for outsider in (other_partner_user, colleague, south_lead):
        assert access.access_to(outsider, case) is Access.NONE
        assert case not in access.visible_cases(outsider)
        assert queries.case_for(outsider, case.pk) is None
    assert queries.search(colleague, case.reference) == []


def test_a_case_shared_with_another_partner_shows_as_shared_not_referred(
    refer: Callable[..., Case],
    other_partner_user: User,
    other_partner_org: PartnerOrganisation,
    caseworker: User,
) -> None:
    case = refer()
    consent.consent_record(
        case=case,
        recipient_kind="lawyer",
        partner=other_partner_org,
        sections={"narrative"},
        given_on=timezone.localdate(),
        how_given="in writing",
        actor=caseworker,
    )
    consent.case_share(
        case=case, partner=other_partner_org, sections={"narrative"}, actor=caseworker
    )
    assert list(queries.partner_referrals(other_partner_user)) == []
    assert list(queries.partner_shared_cases(other_partner_user)) == [case]
    view = queries.partner_case(other_partner_user, case.pk)
    assert view is not None and (view.referred, view.sections) == (False, {"narrative"})


def test_partner_desks_lists_the_desks_it_may_refer_into(
    partner_user: User, desk_north: Desk, desk_south: Desk, caseworker: User
) -> None:
    assert list(queries.partner_desks(partner_user)) == [desk_north]
    assert list(queries.partner_desks(caseworker)) == []
