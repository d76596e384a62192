"""What the access-matrix test needs of letters: one template in use (to a lawyer, needing the
person section), so the North case's Letters tab lists it."""

from __future__ import annotations

from passage.accounts.models import User
from passage.dossiers.services import templates


def dossiers_world(admin: User) -> dict[str, str]:
    letter = templates.template_create(
        actor=admin,
        code="lawyer-letter",
        name="Letter to a lawyer",
        recipient_kind="lawyer",
        language="en",
        body="Re: {{ person.legal_name }}, case {{ case.reference }}.",
    )
    return {"letter_template": str(letter.pk)}
