"""The retention pages: policies for admins, a case's legal hold for admins and the desk's lead;
everyone else a 404, the outsider the sign-in page; bad input a 400 with a message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.retention import holds, policies
from passage.retention.models import Outcome
from tests.accounts.conftest import post_form
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db

POLICIES = "/staff/retention/"


def _hold_url(case: Case) -> str:
    return f"/staff/cases/{case.pk}/legal-hold/"


def test_admin_changes_a_policy(admin: User) -> None:
    client = sign_in_as(admin)
    page = client.get(POLICIES)
    assert page.status_code == 200 and b"request_spam" in page.content
    done = post_form(client, POLICIES, {"outcome": "request_spam", "days": "30"})
    assert done.status_code == 302
    assert policies.days_for(Outcome.REQUEST_SPAM) == 30
    bad = post_form(client, POLICIES, {"outcome": "request_spam", "days": "0"})
    assert bad.status_code == 400 and b"between" in bad.content
    assert policies.days_for(Outcome.REQUEST_SPAM) == 30


def test_only_admins_see_the_policies(
    caseworker: User, desk_lead: User, auditor: User, outsider: Client
) -> None:
    for user in (caseworker, desk_lead, auditor):
        assert sign_in_as(user).get(POLICIES).status_code == 404
    assert outsider.get(POLICIES).status_code == 302


def test_desk_lead_sets_and_lifts_a_hold(desk_lead: User, make_case: Callable[..., Case]) -> None:
    case = make_case("Hold Page Person")
    client = sign_in_as(desk_lead)
    page = client.get(_hold_url(case))
    assert page.status_code == 200 and case.reference.encode() in page.content
    assert b"Hold Page Person" not in page.content
    empty = post_form(client, _hold_url(case), {"reason": ""})
    assert empty.status_code == 400
    assert post_form(client, _hold_url(case), {"reason": "court order"}).status_code == 302
    assert holds.active_hold(case.pk) is not None
    assert post_form(client, _hold_url(case), {"reason": "case ended"}).status_code == 302
    assert holds.active_hold(case.pk) is None


def test_others_get_a_404_for_the_hold_page(
    caseworker: User, colleague: User, make_case: Callable[..., Case], admin: User
) -> None:
    case = make_case()
    for user in (caseworker, colleague):
        assert sign_in_as(user).get(_hold_url(case)).status_code == 404
    assert sign_in_as(admin).get(_hold_url(case)).status_code == 200
    missing = "/staff/cases/00000000-0000-4000-8000-000000000000/legal-hold/"
    assert sign_in_as(admin).get(missing).status_code == 404


def test_the_case_summary_links_the_hold_page_for_the_desk_lead_only(
    desk_lead: User, caseworker: User, make_case: Callable[..., Case]
) -> None:
    case = make_case("Hold Link")
    hold_url = reverse("retention:case-hold", kwargs={"case_id": case.pk})
    summary = reverse("cases:case", args=[case.pk])
    assert hold_url in sign_in_as(desk_lead).get(summary).content.decode()
    assert hold_url not in sign_in_as(caseworker).get(summary).content.decode()
