"""The handover page /staff/workload/desks/<id>/handover/: a leaver's open cases, all ticked;
one POST reassigns them all (40 cases, 40 audit entries of the assignment)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from tests.cases.views.support import page, post, token_in
from tests.workload.support import entries

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]


def handover_url(desk: Desk) -> str:
    return reverse("workload:handover", args=[desk.pk])


def test_a_desk_lead_reassigns_forty_cases_in_one_action(
    signed_in: Signed,
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    cases = leaver_cases(40)
    client = signed_in(desk_lead)
    content = page(client, f"{handover_url(desk_north)}?worker={leaver.pk}")
    ticked = re.findall(
        r'<input type="checkbox" name="cases" value="([0-9a-f-]+)"[^>]*checked', content
    )
    assert sorted(ticked) == sorted(str(c.pk) for c in cases)  # all ticked by default
    before = len(entries("case.assigned"))
    response = client.post(
        handover_url(desk_north),
        {
            "csrfmiddlewaretoken": token_in(content),
            "worker": str(leaver.pk),
            "cases": ticked,
            "receivers": [str(caseworker2.pk)],
            "note": "Handing over: see each case's last contact.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workload:desk", args=[desk_north.pk])
    assert Case.objects.filter(assignee=caseworker2).count() == 40
    assert len(entries("case.assigned")[before:]) == 40
    followed = page(client, response["Location"])
    assert "40 case(s) of leaver handed over." in followed


def test_unticked_cases_stay(
    signed_in: Signed,
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    cases = leaver_cases(3)
    client = signed_in(desk_lead)
    content = page(client, f"{handover_url(desk_north)}?worker={leaver.pk}")
    client.post(
        handover_url(desk_north),
        {
            "csrfmiddlewaretoken": token_in(content),
            "worker": str(leaver.pk),
            "cases": [str(cases[0].pk)],
            "receivers": [str(caseworker2.pk)],
        },
    )
    assert Case.objects.filter(assignee=leaver).count() == 2


def test_no_receiver_is_a_400_with_the_message_and_nothing_changes(
    signed_in: Signed,
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    cases = leaver_cases(2)
    client = signed_in(desk_lead)
    content = page(client, f"{handover_url(desk_north)}?worker={leaver.pk}")
    response = client.post(
        handover_url(desk_north),
        {
            "csrfmiddlewaretoken": token_in(content),
            "worker": str(leaver.pk),
            "cases": [str(c.pk) for c in cases],
        },
    )
    assert response.status_code == 400
    assert "Choose who receives the cases." in response.content.decode()
    assert Case.objects.filter(assignee=leaver).count() == 2


def test_the_worker_list_names_people_with_cases(
    signed_in: Signed,
    desk_north: Desk,
    desk_lead: User,
    leaver: User,
    leaver_cases: Callable[[int], list[Case]],
) -> None:
    leaver_cases(1)
    content = page(signed_in(desk_lead), handover_url(desk_north))
    assert f'value="{leaver.pk}"' in content


@pytest.mark.parametrize("persona", ["caseworker", "colleague", "south_lead"])
def test_a_post_by_anyone_else_is_404(
    request: pytest.FixtureRequest,
    signed_in: Signed,
    desk_north: Desk,
    leaver: User,
    caseworker2: User,
    leaver_cases: Callable[[int], list[Case]],
    persona: str,
) -> None:
    cases = leaver_cases(2)
    client = signed_in(request.getfixturevalue(persona))
    response = post(
        client,
        handover_url(desk_north),
        {
            "worker": str(leaver.pk),
            "cases": [str(c.pk) for c in cases],
            "receivers": [str(caseworker2.pk)],
        },
    )
    assert response.status_code == 404
    assert Case.objects.filter(assignee=leaver).count() == 2
