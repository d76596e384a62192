"""Admins write templates: checked, audited, refused to anyone else; a refused body is not
saved."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.dossiers.models import LetterTemplate
from passage.dossiers.services import templates
from tests.cases.helpers import audit_entries

pytestmark = pytest.mark.django_db


def test_creating_a_template_is_audited(write: Callable[..., LetterTemplate]) -> None:
    letter = write(pathway_kind="unhcr_resettlement")
    assert letter.recipient_kind == "unhcr" and letter.active
    assert letter.pathway_kind == "unhcr_resettlement"
    [entry] = audit_entries("dossier_template.created", letter.pk)
    assert entry.object_type == "letter_template"


def test_an_unknown_placeholder_is_not_saved(write: Callable[..., LetterTemplate]) -> None:
    with pytest.raises(InvalidInput, match="SECRET_KEY"):
        write(body="{{ settings.SECRET_KEY }}")
    with pytest.raises(InvalidInput):
        write(body="{% load static %}")
    assert not LetterTemplate.objects.exists()


def test_only_those_who_manage_templates_write_them(
    caseworker: User, write: Callable[..., LetterTemplate]
) -> None:
    with pytest.raises(NotAllowed):
        write(actor=caseworker)
    letter = write()
    with pytest.raises(NotAllowed):
        templates.template_change(
            template=letter,
            actor=caseworker,
            name="X",
            recipient_kind="unhcr",
            language="en",
            body="{{ case.reference }}",
            active=False,
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [("recipient_kind", "embassy_x"), ("language", "xx"), ("name", " "), ("pathway_kind", "a b")],
)
def test_bad_fields_are_refused(admin: User, field: str, value: str) -> None:
    fields = {"name": "Letter", "recipient_kind": "unhcr", "language": "en", "pathway_kind": ""}
    fields[field] = value
    with pytest.raises(InvalidInput):
        templates.template_create(actor=admin, code="c", body="{{ case.reference }}", **fields)


def test_codes_are_unique_and_plain(admin: User, write: Callable[..., LetterTemplate]) -> None:
    write(code="same")
    with pytest.raises(InvalidInput, match="code"):
        write(code="same")
    with pytest.raises(InvalidInput, match="code"):
        write(code="../etc")
    with pytest.raises(InvalidInput, match="code"):
        write(code="пись")


def test_changing_is_audited_and_nothing_changed_writes_nothing(
    admin: User, write: Callable[..., LetterTemplate]
) -> None:
    letter = write()
    same = {
        "name": letter.name,
        "recipient_kind": letter.recipient_kind,
        "language": letter.language,
        "body": letter.body,
        "active": True,
    }
    assert not templates.template_change(template=letter, actor=admin, **same)
    assert audit_entries("dossier_template.changed", letter.pk) == []
    assert templates.template_change(
        template=letter, actor=admin, **{**same, "active": False, "language": "ru"}
    )
    letter.refresh_from_db()
    assert not letter.active and letter.language == "ru"
    assert len(audit_entries("dossier_template.changed", letter.pk)) == 1
    with pytest.raises(InvalidInput):
        templates.template_change(
            template=letter, actor=admin, **{**same, "body": "{{ person.secret }}"}
        )
    letter.refresh_from_db()
    assert letter.body == same["body"]
