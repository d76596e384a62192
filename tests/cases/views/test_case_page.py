"""The case summary /staff/cases/<id>/ (plain facts; of personal data only the chosen name in the
header, audited once per case per sign-in) and the timeline /staff/cases/<id>/timeline/
(decrypted reasons: one audited view)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from passage.accounts.models import Membership, User
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.cases.services import duplicates, verification
from passage.cases.workflow import Stage
from tests.cases.conftest import channel
from tests.cases.helpers import fresh, move
from tests.cases.views.conftest import HANDLE, LEGAL_NAME, NAME, STORY, Signed
from tests.cases.views.support import case_url, name_reads, page, reads
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def test_the_summary_shows_operational_facts_and_only_the_chosen_name(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = page(signed_in(caseworker), case_url("case", north_case))
    assert north_case.reference in content
    assert "North Caucasus" in content  # desk
    assert "Russia" in content and "Chechnya" in content  # country and coarse region
    assert "nobody yet" in content  # assignee
    # The header shows the chosen name beside the reference (the caseworker works the case);
    # nothing else personal.
    assert f'<span class="chosen-name">{NAME}</span>' in content
    for secret in (LEGAL_NAME, "Magomedovich", HANDLE, "zaur_quiet_95", STORY):
        assert secret not in content
    # Links to the work a caseworker can do here.
    assert case_url("transition", north_case) in content
    assert case_url("assign", north_case) in content
    assert case_url("screen", north_case) in content


def test_the_summary_writes_no_audited_read(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    page(client, case_url("case", north_case))
    page(client, case_url("case", north_case))
    assert reads(north_case) == []
    # Only the chosen name in the header: one audited read per case per sign-in.
    assert name_reads(north_case) == 1


@pytest.mark.parametrize("persona", ["caseworker", "desk_lead", "verifier", "screener"])
def test_the_summary_opens_for_everyone_of_the_desk(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, north_case: Case
) -> None:
    user = request.getfixturevalue(persona)
    page(signed_in(user), case_url("case", north_case))


@pytest.mark.parametrize("persona", ["colleague", "partner_user", "admin", "auditor"])
def test_the_summary_is_404_for_everyone_else(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, north_case: Case
) -> None:
    user = request.getfixturevalue(persona)
    client = signed_in(user)
    for name in ("case", "case-person", "case-triage", "case-timeline"):
        page(client, case_url(name, north_case), status=404)
    assert reads(north_case) == []


def test_an_unknown_case_is_404(signed_in: Signed, caseworker: User) -> None:
    page(signed_in(caseworker), f"/staff/cases/{uuid.uuid4()}/", status=404)
    page(signed_in(caseworker), "/staff/cases/not-a-uuid/", status=404)


def test_a_read_only_viewer_sees_no_buttons_to_change_the_case(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    finance = make_staff("finance", Role.FINANCE)
    Membership.objects.create(user=finance, desk=north_case.desk)
    content = page(signed_in(finance), case_url("case", north_case))
    assert north_case.reference in content
    assert case_url("transition", north_case) not in content
    assert case_url("assign", north_case) not in content


def test_a_frozen_case_shows_the_banner(
    signed_in: Signed, caseworker: User, verifier: User, north_case: Case
) -> None:
    verification.verification_outcome_record(
        case=north_case,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="the story matches a known provocation",
        actor=verifier,
    )
    content = page(signed_in(caseworker), case_url("case", north_case))
    assert "Frozen:" in content


def test_a_merged_case_leads_to_the_case_it_was_merged_into(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    first = open_case("First Name", channels=[channel("+7 928 123-45-67", "phone")])
    second = open_case("Other Name", channels=[channel("+79281234567", "signal")])
    duplicates.cases_merge(survivor=first, merged=second, actor=caseworker)
    client = signed_in(caseworker)
    response = client.get(case_url("case", second))
    assert response.status_code == 302
    assert response["Location"] == case_url("case", first)
    followed = page(client, response["Location"])
    assert f"{second.reference} was merged into {first.reference}." in followed


def test_the_timeline_shows_the_reasons_and_is_one_audited_read(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    move(north_case, caseworker, Stage.SCREENING, Stage.ON_HOLD, reason="waiting for the lawyer")
    client = signed_in(caseworker)
    content = page(client, case_url("case-timeline", north_case))
    assert "waiting for the lawyer" in content
    assert "Your view of this section is recorded" in content
    assert reads(north_case) == ["case.section_viewed.timeline"]
    assert fresh(north_case).stage == Stage.ON_HOLD


def test_the_summary_lists_stages_with_who_moved_the_case(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    move(north_case, caseworker, Stage.SCREENING)
    content = page(signed_in(caseworker), case_url("case", north_case))
    assert "Screening" in content
    assert "caseworker" in content


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("case-person", "person"),
        ("narrative-edit", "person"),
        ("case-triage", "triage"),
        ("case-verification", "verification"),
        ("case-approvals", "approvals"),
        ("case-consent", "consent"),
        ("case-timeline", "timeline"),
    ],
)
def test_each_protected_section_is_exactly_one_audited_read(
    signed_in: Signed, caseworker: User, north_case: Case, name: str, section: str
) -> None:
    client = signed_in(caseworker)
    page(client, case_url("case", north_case))
    content = page(client, case_url(name, north_case))
    assert "Your view of this section is recorded in the audit log." in content
    assert reads(north_case) == [f"case.section_viewed.{section}"]
    entry = AuditEntry.objects.get(action=f"case.section_viewed.{section}")
    assert (entry.object_type, entry.object_id) == ("case", str(north_case.pk))
    assert entry.actor == f"user:{caseworker.pk}"
