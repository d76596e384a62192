"""/staff/cases/<case>/settlement/ and its forms: making the plan (arrived cases only: a clear
400 for others), recording steps, needs and follow-ups, the recorded read, and who may read
and write (break-glass reads, partners and other desks get nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.settlement.models import FollowUp, LegalStep, Need, SettlementPlan
from tests.accounts.admin_support import post
from tests.cases.views.conftest import Signed
from tests.cases.views.support import form_token, page, reads, text_of, top_errors
from tests.settlement.conftest import CITY, HELPER, WELLBEING, MakePlan

pytestmark = pytest.mark.django_db


def url(case: Case, name: str = "case", *args: Any) -> str:
    return reverse(f"settlement:{name}", args=[case.pk, *args])


def submit(client: Client, path: str, **data: Any) -> Any:
    return client.post(path, {"csrfmiddlewaretoken": form_token(client, path), **data})


def past(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def test_a_settlement_worker_makes_the_plan_of_an_arrived_case(
    signed_in: Signed, settler: User, arrived_case: Case
) -> None:
    client = signed_in(settler)
    shown = page(client, url(arrived_case))
    assert "Make the settlement plan" in shown and 'name="arrival_date"' in shown
    response = submit(client, url(arrived_case), arrival_date=past(40).isoformat(), city=CITY)
    assert response.status_code == 302 and response["Location"] == url(arrived_case)
    plan = SettlementPlan.objects.get()
    assert (plan.arrival_date, plan.city) == (past(40), CITY)
    shown = page(client, url(arrived_case))
    assert CITY in shown and "Psychological support" in shown and "Permanent residence" in shown
    assert "overdue" in shown  # the 1-month follow-up
    follow_up = FollowUp.objects.get(months=1)
    assert url(arrived_case, "follow-up", follow_up.pk) in shown
    assert reads(arrived_case, "settlement")


def test_a_case_that_has_not_arrived_is_refused_with_a_message(
    signed_in: Signed, settler: User, north_case: Case
) -> None:
    client = signed_in(settler)
    shown = page(client, url(north_case))
    assert "once the person has arrived" in shown and 'name="arrival_date"' not in shown
    response = post(client, url(north_case), {"arrival_date": past(3).isoformat(), "city": ""})
    assert response.status_code == 400
    assert any("once the person has arrived" in e for e in top_errors(text_of(response)))
    assert not SettlementPlan.objects.exists()


def test_bad_input_is_a_400_with_the_message(
    signed_in: Signed, settler: User, arrived_case: Case
) -> None:
    client = signed_in(settler)
    response = submit(client, url(arrived_case), arrival_date="31/31/2027", city=CITY)
    assert response.status_code == 400
    response = submit(client, url(arrived_case), arrival_date="2099-01-01", city=CITY)
    assert response.status_code == 400 and "future" in text_of(response)
    assert not SettlementPlan.objects.exists()


def test_the_tab_is_on_the_case_page(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    shown = page(signed_in(caseworker), reverse("cases:case", args=[north_case.pk]))
    assert f'href="{url(north_case)}"' in shown


def test_steps_needs_and_follow_ups_are_recorded_from_their_pages(
    signed_in: Signed, caseworker: User, settler: User, arrived_case: Case, make_plan: MakePlan
) -> None:
    plan = make_plan(arrived_case, arrival_date=past(100), today=None)
    client = signed_in(caseworker)  # the desk's caseworker may write too
    step = LegalStep.objects.get(plan=plan, kind="hearing")
    response = submit(
        client,
        url(arrived_case, "step-edit", step.pk),
        kind="hearing",
        status="in_progress",
        on_date=past(2).isoformat(),
        notes="",
    )
    assert response.status_code == 302
    assert LegalStep.objects.get(pk=step.pk).status == "in_progress"
    need = Need.objects.get(plan=plan, area="sponsor")
    edit = page(client, url(arrived_case, "need-edit", need.pk))
    assert "settler" in edit  # desk staff to choose from
    response = submit(
        client,
        url(arrived_case, "need-edit", need.pk),
        status="in_progress",
        helper=str(settler.pk),
        helper_text=HELPER,
        notes="",
    )
    assert response.status_code == 302
    stored = Need.objects.get(pk=need.pk)
    assert (stored.helper_id, stored.helper_text) == (settler.pk, HELPER)
    follow_up = FollowUp.objects.get(plan=plan, months=1)
    response = submit(
        client,
        url(arrived_case, "follow-up", follow_up.pk),
        status="done",
        done_on="",
        wellbeing=WELLBEING,
    )
    assert response.status_code == 302
    stored_follow_up = FollowUp.objects.get(pk=follow_up.pk)
    assert (stored_follow_up.status, stored_follow_up.wellbeing) == ("done", WELLBEING)
    assert stored_follow_up.done_on == timezone.localdate()
    response = submit(client, url(arrived_case, "step-add"), kind="other", status="not_started")
    assert response.status_code == 302
    response = submit(
        client, url(arrived_case, "plan-edit"), arrival_date=past(90).isoformat(), city=""
    )
    assert response.status_code == 302
    shown = page(client, url(arrived_case))
    assert HELPER in shown and WELLBEING in shown and "Other step" in shown


def test_a_bad_choice_is_a_400(
    signed_in: Signed, settler: User, arrived_case: Case, make_plan: MakePlan
) -> None:
    plan = make_plan(arrived_case, arrival_date=past(10), today=None)
    need = Need.objects.get(plan=plan, area="housing")
    client = signed_in(settler)
    response = submit(client, url(arrived_case, "need-edit", need.pk), status="sort of")
    assert response.status_code == 400
    response = submit(
        client, url(arrived_case, "need-edit", need.pk), status="met", helper="someone"
    )
    assert response.status_code == 400
    assert Need.objects.get(pk=need.pk).status == "not_started"


def test_break_glass_reads_the_plan_but_changes_nothing(
    signed_in: Signed, break_glass: User, arrived_case: Case, make_plan: MakePlan
) -> None:
    plan = make_plan(arrived_case, arrival_date=past(10), today=None)
    client = signed_in(break_glass)
    shown = page(client, url(arrived_case))
    assert CITY in shown and "/needs/" not in shown and "/follow-ups/" not in shown
    assert reads(arrived_case, "settlement")
    follow_up = FollowUp.objects.get(plan=plan, months=1)
    path = url(arrived_case, "follow-up", follow_up.pk)
    assert client.get(path).status_code == 404
    assert post(client, path, {"status": "done", "wellbeing": "x"}).status_code == 404
    assert FollowUp.objects.get(pk=follow_up.pk).status == "pending"


def test_other_desks_partners_and_outsiders_get_nothing(
    signed_in: Signed,
    settler_south: User,
    partner_user: User,
    outsider: Client,
    arrived_case: Case,
    make_plan: MakePlan,
) -> None:
    make_plan(arrived_case, arrival_date=past(10), today=None)
    for user in (settler_south, partner_user):
        response = signed_in(user).get(url(arrived_case))
        assert response.status_code == 404 and CITY not in text_of(response)
    response = outsider.get(url(arrived_case))
    assert response.status_code == 302 and CITY not in text_of(response)
    assert not reads(arrived_case, "settlement")
