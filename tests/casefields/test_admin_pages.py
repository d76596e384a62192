"""The admin pages of fields and checklists: only admins, plain forms (move buttons work
without JavaScript), refusals shown as 400s."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import Desk, User
from passage.casefields.models import FieldDefinition, Kind
from tests.accounts.admin_support import post
from tests.cases.views.support import field_error, page, submit, text_of, top_errors
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db

Define = Callable[..., FieldDefinition]
LIST = reverse("casefields:fields")


def test_only_admins_reach_the_pages(
    define: Define,
    caseworker: User,
    desk_lead: User,
    auditor: User,
    partner_user: User,
    admin: User,
    outsider: Client,
) -> None:
    field = define("Anything")
    paths = [
        LIST,
        reverse("casefields:field-new"),
        reverse("casefields:field-edit", args=[field.pk]),
        reverse("casefields:field-retire", args=[field.pk]),
        reverse("casefields:field-reinstate", args=[field.pk]),
    ]
    for user in (caseworker, desk_lead, auditor, partner_user):
        client = sign_in_as(user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.username, path)
    for path in paths:
        response = outsider.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/staff/")
    admin_client = sign_in_as(admin)
    for path in paths:
        assert admin_client.get(path).status_code == 200, path
    move = reverse("casefields:field-move", args=[field.pk])
    assert admin_client.get(move).status_code == 405
    refused = post(sign_in_as(caseworker), move, {"direction": "up"})
    assert refused.status_code == 404


def test_an_admin_adds_a_choice_field_and_sees_it_listed(admin: User, desk_north: Desk) -> None:
    client = sign_in_as(admin)
    response = submit(
        client,
        reverse("casefields:field-new"),
        {
            "section": "person",
            "kind": "choice",
            "label": "UNHCR status",
            "help_text": "As on the letter",
            "choices": "Mandate refugee\nNot registered\n",
            "required": "on",
            "desk": str(desk_north.pk),
        },
    )
    assert response.status_code == 302 and response["Location"] == LIST
    field = FieldDefinition.objects.get()
    assert (field.kind, field.choices, field.required, field.desk) == (
        "choice",
        ["Mandate refugee", "Not registered"],
        True,
        desk_north,
    )
    listing = page(client, LIST)
    assert "UNHCR status" in listing and "Mandate refugee" in listing and desk_north.name in listing


def test_bad_input_is_shown_next_to_the_field_with_a_400(admin: User) -> None:
    client = sign_in_as(admin)
    response = submit(
        client,
        reverse("casefields:field-new"),
        {"section": "person", "kind": "choice", "label": "Status", "choices": "only one"},
    )
    assert response.status_code == 400
    assert top_errors(text_of(response)) == ["A choice list needs at least two different choices."]
    missing = submit(client, reverse("casefields:field-new"), {"section": "person", "kind": "text"})
    assert missing.status_code == 400
    assert field_error(text_of(missing), "label") == "This field is required."
    assert not FieldDefinition.objects.exists()


def test_editing_changes_the_label_but_never_the_kind(define: Define, admin: User) -> None:
    field = define("Status", kind=Kind.TEXT)
    client = sign_in_as(admin)
    path = reverse("casefields:field-edit", args=[field.pk])
    form = page(client, path)
    assert 'name="kind"' not in form and 'name="choices"' not in form
    response = submit(client, path, {"label": "UNHCR case number", "kind": "choice"})
    assert response.status_code == 302
    stored = FieldDefinition.objects.get(pk=field.pk)
    assert (stored.label, stored.kind) == ("UNHCR case number", "text")


def test_move_buttons_reorder_without_javascript(define: Define, admin: User) -> None:
    first, second = define("First"), define("Second")
    client = sign_in_as(admin)
    listing = page(client, LIST)
    move = reverse("casefields:field-move", args=[second.pk])
    assert f'action="{move}"' in listing and 'value="up"' in listing
    token = listing.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(move, {"csrfmiddlewaretoken": token, "direction": "up"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}#field-{second.pk}"
    ordered = FieldDefinition.objects.order_by("order").values_list("label", flat=True)
    assert list(ordered) == ["Second", "First"]
    bad = client.post(move, {"csrfmiddlewaretoken": token, "direction": "left"})
    assert bad.status_code == 400
    assert first.pk


def test_retire_and_reinstate_confirm_first(define: Define, admin: User) -> None:
    field = define("Old grant")
    client = sign_in_as(admin)
    retire = reverse("casefields:field-retire", args=[field.pk])
    assert "Values already recorded stay" in page(client, retire)
    assert FieldDefinition.objects.get(pk=field.pk).active
    assert submit(client, retire).status_code == 302
    assert not FieldDefinition.objects.get(pk=field.pk).active
    listing = page(client, LIST)
    assert reverse("casefields:field-reinstate", args=[field.pk]) in listing
    assert submit(client, reverse("casefields:field-reinstate", args=[field.pk])).status_code == 302
    assert FieldDefinition.objects.get(pk=field.pk).active


def test_the_admin_index_links_the_fields_page(admin: User) -> None:
    assert LIST in page(sign_in_as(admin), reverse("staff:admin"))
