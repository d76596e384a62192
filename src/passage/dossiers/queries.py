"""Reads of letter templates, and which letters a case may produce (consent checked, nothing
decrypted: consent kinds and sections are plain)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from passage.accounts.models import PartnerOrganisation
from passage.cases.models import SHAREABLE_SECTIONS, Case, Consent
from passage.dossiers import placeholders
from passage.dossiers.models import LetterTemplate


def templates_all() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.all()


def template(template_id: object) -> LetterTemplate | None:
    try:
        pk = uuid.UUID(str(template_id))
    except ValueError:
        return None
    return LetterTemplate.objects.filter(pk=pk).first()


def template_active(template_id: object) -> LetterTemplate | None:
    found = template(template_id)
    return found if found is not None and found.active else None


def partner_of_kind(partner_id: object, kind: str) -> PartnerOrganisation | None:
    """The organisation chosen as a letter's recipient, if it is of the letter's kind."""
    try:
        pk = uuid.UUID(str(partner_id))
    except ValueError:
        return None
    return PartnerOrganisation.objects.filter(pk=pk, kind=kind).first()


def kind_label(kind: str) -> str:
    return str(dict(PartnerOrganisation.Kind.choices).get(kind, kind))


def covering_consents(case: Case, letter: LetterTemplate) -> list[Consent]:
    """The person's active consents that cover ``letter``: its recipient kind (any of that
    kind, or one named organisation of it) and every section its placeholders use."""
    needed = placeholders.sections_of(letter.body)
    return [
        consent
        for consent in Consent.objects.filter(
            case=case, withdrawn_at__isnull=True, recipient_kind=letter.recipient_kind
        ).select_related("partner")
        if needed <= set(consent.sections)
    ]


@dataclass
class LetterRow:
    """One template on a case's Letters tab: to whom it may go, or why it may not."""

    template: LetterTemplate
    sections: list[str]
    any_of_kind: bool = False  # a consent covers any organisation of the kind
    partners: list[PartnerOrganisation] = field(default_factory=list)
    refusal: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusal


def letters_for(case: Case) -> list[LetterRow]:
    """Every active template, with the recipients the person's consent allows it to go to."""
    consents = list(
        Consent.objects.filter(case=case, withdrawn_at__isnull=True).select_related("partner")
    )
    rows = []
    for letter in LetterTemplate.objects.filter(active=True):
        needed = placeholders.sections_of(letter.body)
        row = LetterRow(template=letter, sections=sorted(needed))
        for consent in consents:
            if consent.recipient_kind != letter.recipient_kind or not needed <= set(
                consent.sections
            ):
                continue
            if consent.partner is None:
                row.any_of_kind = True
            elif consent.partner not in row.partners and consent.partner.is_active:
                row.partners.append(consent.partner)
        if case.is_frozen:
            row.refusal = _("The case is frozen: no letter is made while it is.")
        elif not row.any_of_kind and not row.partners:
            row.refusal = _("No consent for %(kind)s covering: %(sections)s.") % {
                "kind": kind_label(letter.recipient_kind),
                "sections": ", ".join(str(SHAREABLE_SECTIONS[s]) for s in row.sections)
                or _("any part of the case"),
            }
        rows.append(row)
    return rows
