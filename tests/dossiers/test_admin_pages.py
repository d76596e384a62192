"""The admin pages of letter templates: list, add, change; a body with an unknown placeholder
or a template tag is refused next to the field (400) and not saved; others get 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.dossiers.models import LetterTemplate
from tests.cases.helpers import audit_entries
from tests.cases.views.support import field_error, page, submit, text_of
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db

LIST = reverse("dossiers:templates")
NEW = reverse("dossiers:template-new")

FIELDS = {
    "code": "embassy-letter",
    "name": "Support letter to an embassy",
    "recipient_kind": "government",
    "language": "ru",
    "pathway_kind": "",
    "body": "Уважаемые коллеги,\n\n{{ person.legal_name }} ({{ case.reference }}).",
}


def test_an_admin_adds_a_template_and_sees_it_listed(admin: User) -> None:
    client = sign_in_as(admin)
    assert "{{ person.legal_name }}" in page(client, NEW)  # the help lists the placeholders
    response = submit(client, NEW, FIELDS)
    assert response.status_code == 302 and response["Location"] == LIST
    letter = LetterTemplate.objects.get(code="embassy-letter")
    assert letter.body == FIELDS["body"] and letter.language == "ru"
    assert len(audit_entries("dossier_template.created", letter.pk)) == 1
    html = page(client, LIST)
    assert "Support letter to an embassy" in html and "person" in html


@pytest.mark.parametrize(
    "body", ["{{ settings.SECRET_KEY }}", "{% load static %}{{ case.reference }}", "{{ x|safe }}"]
)
def test_a_body_outside_the_whitelist_is_refused(admin: User, body: str) -> None:
    client = sign_in_as(admin)
    response = submit(client, NEW, {**FIELDS, "body": body})
    assert response.status_code == 400
    assert field_error(text_of(response), "body")
    assert not LetterTemplate.objects.exists()


def test_an_admin_changes_a_template(admin: User, write: Callable[..., LetterTemplate]) -> None:
    letter = write()
    client = sign_in_as(admin)
    url = reverse("dossiers:template-edit", args=[letter.pk])
    assert "UNHCR referral" in page(client, url)
    response = submit(
        client,
        url,
        {**FIELDS, "name": "UNHCR referral (2)", "recipient_kind": "unhcr", "active": ""},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.name == "UNHCR referral (2)" and not letter.active
    assert letter.code == "unhcr-referral"  # fixed once created
    refused = submit(client, url, {**FIELDS, "body": "{{ settings.DEBUG }}"})
    assert refused.status_code == 400
    letter.refresh_from_db()
    assert "settings" not in letter.body


def test_others_get_404(
    caseworker: User, desk_lead: User, write: Callable[..., LetterTemplate]
) -> None:
    letter = write()
    for user in (caseworker, desk_lead):
        client = sign_in_as(user)
        for url in (LIST, NEW, reverse("dossiers:template-edit", args=[letter.pk])):
            assert client.get(url).status_code == 404
