"""The hand-over pages: asking (/staff/workload/cases/<id>/hand-over/), accepting and declining
from the receiving desk's workload page, withdrawing. Forbidden is 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.workload import services
from passage.workload.models import DeskTransfer
from tests.cases.helpers import fresh
from tests.cases.views.support import page, post, token_in

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]


def ask_url(case: Case) -> str:
    return reverse("workload:transfer-request", args=[case.pk])


def test_a_caseworker_asks_from_the_case_page(
    signed_in: Signed, caseworker: User, north_case: Case, desk_south: Desk
) -> None:
    client = signed_in(caseworker)
    assert ask_url(north_case) in page(client, reverse("cases:case", args=[north_case.pk]))
    form = page(client, ask_url(north_case))
    response = client.post(
        ask_url(north_case),
        {"csrfmiddlewaretoken": token_in(form), "to_desk": str(desk_south.pk), "note": "moved"},
    )
    assert response.status_code == 302
    transfer = DeskTransfer.objects.get()
    assert (transfer.to_desk_id, transfer.requested_by_id) == (desk_south.pk, caseworker.pk)
    assert "waiting for its lead to accept" in page(client, ask_url(north_case))


def test_asking_for_the_own_desk_is_a_400(
    signed_in: Signed, caseworker: User, north_case: Case, desk_north: Desk
) -> None:
    client = signed_in(caseworker)
    form = page(client, ask_url(north_case))
    response = client.post(
        ask_url(north_case), {"csrfmiddlewaretoken": token_in(form), "to_desk": str(desk_north.pk)}
    )
    assert response.status_code == 400
    assert not DeskTransfer.objects.exists()


@pytest.fixture
def transfer(north_case: Case, caseworker: User, desk_south: Desk) -> DeskTransfer:
    return services.transfer_request(case=north_case, to_desk=desk_south, note="", actor=caseworker)


def test_the_south_lead_accepts_from_the_workload_page(
    signed_in: Signed, south_lead: User, transfer: DeskTransfer, desk_south: Desk
) -> None:
    client = signed_in(south_lead)
    desk_page = page(client, reverse("workload:desk", args=[desk_south.pk]))
    response = client.post(
        reverse("workload:transfer-accept", args=[transfer.pk]),
        {"csrfmiddlewaretoken": token_in(desk_page)},
    )
    assert response.status_code == 302
    assert fresh(transfer.case).desk_id == desk_south.pk


@pytest.mark.parametrize("persona", ["colleague", "desk_lead", "caseworker"])
@pytest.mark.parametrize("action", ["transfer-accept", "transfer-decline"])
def test_nobody_else_decides(
    request: pytest.FixtureRequest,
    signed_in: Signed,
    transfer: DeskTransfer,
    persona: str,
    action: str,
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    response = post(client, reverse(f"workload:{action}", args=[transfer.pk]))
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == DeskTransfer.Status.REQUESTED


def test_decline_and_withdraw(
    signed_in: Signed, south_lead: User, caseworker: User, north_case: Case, desk_south: Desk
) -> None:
    first = services.transfer_request(
        case=north_case, to_desk=desk_south, note="", actor=caseworker
    )
    post(signed_in(south_lead), reverse("workload:transfer-decline", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == DeskTransfer.Status.DECLINED
    second = services.transfer_request(
        case=north_case, to_desk=desk_south, note="", actor=caseworker
    )
    assert (
        post(
            signed_in(south_lead), reverse("workload:transfer-withdraw", args=[second.pk])
        ).status_code
        == 404
    )
    response = post(signed_in(caseworker), reverse("workload:transfer-withdraw", args=[second.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == DeskTransfer.Status.WITHDRAWN


@pytest.mark.parametrize("persona", ["colleague", "admin", "partner_user"])
def test_asking_is_404_for_who_does_not_work_the_case(
    request: pytest.FixtureRequest, signed_in: Signed, north_case: Case, persona: str
) -> None:
    page(signed_in(request.getfixturevalue(persona)), ask_url(north_case), status=404)
