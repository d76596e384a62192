"""Assign to me (a button per queue row and on the case page, the queue's ``a`` key) and the
queue's keyboard shortcuts (a small script of ours, with visible help)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import passage
from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.services import assignment
from tests.cases.helpers import fresh
from tests.cases.views.support import page, post, token_in
from tests.workload.support import entries

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]


def me_url(case: Case) -> str:
    return reverse("cases:assign-me", args=[case.pk])


def test_the_queue_row_button_assigns_to_me(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    queue = page(client, reverse("cases:queue"))
    assert f'formaction="{me_url(north_case)}" data-assign-me' in queue
    response = client.post(me_url(north_case), {"csrfmiddlewaretoken": token_in(queue)})
    assert response.status_code == 302 and response["Location"] == reverse("cases:queue")
    assert fresh(north_case).assignee_id == caseworker.pk
    assert len(entries("case.assigned", str(north_case.pk))) == 1
    # Mine now: no button on its row.
    assert f'formaction="{me_url(north_case)}"' not in page(client, reverse("cases:queue"))


def test_from_the_case_page_back_to_the_case(
    signed_in: Signed, caseworker2: User, north_case: Case, caseworker: User
) -> None:
    assignment.case_assign(case=north_case, assignee=caseworker, actor=caseworker)
    client = signed_in(caseworker2)
    summary = page(client, reverse("cases:case", args=[north_case.pk]))
    assert me_url(north_case) in summary
    response = client.post(
        me_url(north_case), {"csrfmiddlewaretoken": token_in(summary), "from": "case"}
    )
    assert response["Location"] == reverse("cases:case", args=[north_case.pk])
    assert fresh(north_case).assignee_id == caseworker2.pk


@pytest.mark.parametrize("persona", ["colleague", "admin", "partner_user"])
def test_others_get_404(
    request: pytest.FixtureRequest, signed_in: Signed, north_case: Case, persona: str
) -> None:
    response = post(signed_in(request.getfixturevalue(persona)), me_url(north_case))
    assert response.status_code == 404
    assert fresh(north_case).assignee_id is None


def test_a_get_is_405(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    assert signed_in(caseworker).get(me_url(north_case)).status_code == 405


def test_the_queue_has_shortcut_help_and_our_script(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = page(signed_in(caseworker), reverse("cases:queue"))
    assert "<summary>Keyboard shortcuts</summary>" in content
    assert "/static/passage/queue-keys.js" in content
    assert "data-queue-row" in content
    script = Path(passage.__file__).parent / "core/static/passage/queue-keys.js"
    text = script.read_text()
    # Never while typing: fields are left alone.
    assert "input, textarea, select" in text
