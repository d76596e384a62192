"""What the access-matrix test needs of admin-defined fields: one field in use in the person
section (so the North case's person section has a form)."""

from __future__ import annotations

from passage.accounts.models import User
from passage.casefields.models import Kind, Section
from passage.casefields.services import definitions


def casefields_world(admin: User) -> dict[str, str]:
    field = definitions.definition_create(
        actor=admin, section=Section.PERSON, kind=Kind.TEXT, label="UNHCR case number"
    )
    return {"field_definition": str(field.pk), "field_section": Section.PERSON.value}
