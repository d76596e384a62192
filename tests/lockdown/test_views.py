"""The Lockdown page and what a lockdown does to the console: step-up, two admins, sessions
ended on their next request, only admins sign in, the banner, the public intake still open."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.lockdown import lockdown_active
from passage.accounts.models import Lockdown, User
from passage.accounts.services import lockdown as services
from passage.intake.models import HelpRequest
from tests.accounts.admin_support import age_second_factor
from tests.intake.views.support import browser, first_step
from tests.personas import PASSWORD, sign_in_as

pytestmark = pytest.mark.django_db

INDEX = "/staff/lockdown/"


def token(client: Client, path: str = INDEX) -> str:
    html = client.get(path).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, path
    return found.group(1)


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, {"csrfmiddlewaretoken": token(client), **(data or {})})


def test_two_admins_start_it_through_the_page_and_a_caseworker_is_signed_out(
    admin: User, second_admin: User, caseworker: User
) -> None:
    worker = sign_in_as(caseworker)
    assert worker.get("/staff/home/").status_code in {200, 302}
    first, second = sign_in_as(admin), sign_in_as(second_admin)

    response = post(first, reverse("lockdown:propose"))
    assert response.status_code == 302
    lockdown = Lockdown.objects.get()
    html = first.get(INDEX).content.decode()
    assert "You proposed it: another admin must confirm." in html
    assert reverse("lockdown:confirm", args=[lockdown.pk]) not in html
    # The second admin sees the proposal on every page, and the button on the Lockdown page.
    assert "An emergency lockdown is proposed" in second.get("/staff/sessions/").content.decode()
    assert reverse("lockdown:confirm", args=[lockdown.pk]) in second.get(INDEX).content.decode()

    response = post(second, reverse("lockdown:confirm", args=[lockdown.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/?ended=lockdown")
    assert lockdown_active()

    # The caseworker's open session ends on its next request (its server-side data is gone),
    # and the sign-in page says why.
    response = worker.get("/staff/home/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/?next=/staff/home/"
    page = worker.get(response["Location"]).content.decode()
    assert "An emergency lockdown is in force: only admins may sign in" in page
    # The first admin's session ended too.
    assert first.get(INDEX)["Location"] == "/staff/?next=/staff/lockdown/"


def test_every_step_needs_a_fresh_second_factor(admin: User) -> None:
    client = sign_in_as(admin)
    csrf = token(client)
    age_second_factor(client)
    for response in (
        client.get(INDEX),
        client.post(reverse("lockdown:propose"), {"csrfmiddlewaretoken": csrf}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/step-up/")
    assert not Lockdown.objects.exists()


def test_the_same_admin_cannot_confirm_through_the_page(admin: User) -> None:
    client = sign_in_as(admin)
    post(client, reverse("lockdown:propose"))
    lockdown = Lockdown.objects.get()
    response = post(client, reverse("lockdown:confirm", args=[lockdown.pk]))
    assert response.status_code == 400
    assert "second, different admin" in response.content.decode()
    assert not lockdown_active()


def test_others_get_a_404(caseworker: User, desk_lead: User, auditor: User) -> None:
    for user in (caseworker, desk_lead, auditor):
        assert sign_in_as(user).get(INDEX).status_code == 404


def test_only_admins_sign_in_during_lockdown(
    in_force: Lockdown, admin: User, caseworker: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/staff/").content.decode()
    assert "An emergency lockdown is in force" in page
    data = {"csrfmiddlewaretoken": token(client, "/staff/"), "password": PASSWORD}
    refused = client.post("/staff/", {**data, "username": "caseworker"})
    assert refused.status_code == 400
    assert "The username or passphrase is not right" in refused.content.decode()
    caseworker.refresh_from_db()
    assert caseworker.failed_sign_ins == 0  # refused for the lockdown, not counted as a failure
    allowed = client.post("/staff/", {**data, "username": "admin"})
    assert allowed.status_code == 302 and "second-factor" in allowed["Location"]


def test_a_non_admin_session_is_ended_whenever_it_appears(
    in_force: Lockdown, caseworker: User
) -> None:
    client = sign_in_as(caseworker)  # as if it slipped in
    response = client.get("/staff/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/?ended=lockdown")


def test_the_banner_is_on_every_staff_page_while_it_is_in_force(
    in_force: Lockdown, admin: User, second_admin: User
) -> None:
    client = sign_in_as(admin)
    for path in ("/staff/home/", "/staff/sessions/", INDEX):
        html = client.get(path, follow=True).content.decode()
        assert "Emergency lockdown in force" in html, path
    services.lockdown_lift_propose(lockdown=in_force, actor=admin)
    services.lockdown_lift_confirm(lockdown=in_force, actor=second_admin)
    assert "Emergency lockdown in force" not in client.get("/staff/sessions/").content.decode()


def test_lifting_through_the_page(in_force: Lockdown, admin: User, second_admin: User) -> None:
    first, second = sign_in_as(admin), sign_in_as(second_admin)
    assert post(first, reverse("lockdown:lift", args=[in_force.pk])).status_code == 302
    assert "You proposed it" in first.get(INDEX).content.decode()
    response = post(second, reverse("lockdown:lift-confirm", args=[in_force.pk]))
    assert response.status_code == 302
    assert not lockdown_active()
    assert "The lockdown is lifted" in second.get(INDEX).content.decode()


def test_an_unknown_lockdown_is_a_404(admin: User) -> None:
    client = sign_in_as(admin)
    response = post(client, reverse("lockdown:confirm", args=[uuid.uuid4()]))
    assert response.status_code == 404


@pytest.mark.usefixtures("memstore")
def test_the_public_intake_keeps_accepting_sealed_requests(in_force: Lockdown) -> None:
    client = browser()
    client.get("/en/")
    response = first_step(client, "en", language="ru")
    assert response.status_code == 200
    assert HelpRequest.objects.count() == 1
    assert lockdown_active()


@pytest.mark.usefixtures("isolated_keys")
def test_two_admins_destroy_the_keys_through_the_page(
    admin: User, second_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    from passage.crypto.keyring import keys_destroyed
    from passage.lockdown.models import KeyDestruction

    first, second = sign_in_as(admin), sign_in_as(second_admin)
    refused = post(first, reverse("lockdown:keys-propose"))
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert not KeyDestruction.objects.exists()
    assert post(first, reverse("lockdown:keys-propose"), {"understood": "on"}).status_code == 302
    proposal = KeyDestruction.objects.get()
    assert "Destroying the keys is proposed" in second.get(INDEX).content.decode()
    confirm = reverse("lockdown:keys-confirm", args=[proposal.pk])
    assert post(first, confirm, {"understood": "on"}).status_code == 400  # the same admin
    assert not keys_destroyed()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(second, confirm, {"understood": "on"})
    assert response.status_code == 200
    assert "Every Passage process stops within seconds" in response.content.decode()
    assert keys_destroyed()


def test_a_proposal_alerts_every_admin(admin: User, second_admin: User) -> None:
    from passage.alerts.models import Alert

    post(sign_in_as(admin), reverse("lockdown:propose"))
    alert = Alert.objects.get(code="lockdown.proposed")
    assert (alert.severity, alert.target_role) == ("critical", "admin")
    assert alert.object_id == str(Lockdown.objects.get().pk)


def test_a_step_reached_by_get_goes_back_to_the_page(admin: User) -> None:
    client = sign_in_as(admin)
    post(client, reverse("lockdown:propose"))
    lockdown = Lockdown.objects.get()
    response = client.get(reverse("lockdown:confirm", args=[lockdown.pk]))
    assert (response.status_code, response["Location"]) == (302, INDEX)
    assert client.get(reverse("lockdown:confirm", args=[uuid.uuid4()])).status_code == 404
    assert not lockdown_active()
