"""Making a letter or dossier of a case as PDF, only under the person's consent.

``dossier_make`` checks that the actor works the case and may share it, that an active consent
covers the template's recipient (any organisation of its kind, or the one chosen) and every
section its placeholders use, fills the template (``placeholders.fill``), renders the PDF and
writes ``case.dossier_made`` (object ``case.dossier``, id ``<case>:<template>``; never any
content). The PDF is not stored: it is handed to the caller and streamed; making it again is
another audited act.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import access
from passage.cases import queries as case_queries
from passage.cases.exceptions import ConsentMissing, InvalidInput
from passage.cases.models import Case, Consent
from passage.cases.services import common
from passage.cases.services.consent import consent_require
from passage.dossiers import pdf, placeholders, queries
from passage.dossiers.models import LetterTemplate


@dataclass(frozen=True)
class Dossier:
    data: bytes
    filename: str


def _consent(case: Case, letter: LetterTemplate, partner: PartnerOrganisation | None) -> Consent:
    sections = placeholders.sections_of(letter.body)
    if partner is not None:
        if partner.kind != letter.recipient_kind or not partner.is_active:
            raise InvalidInput(_("That organisation is not a recipient of this letter."))
        return consent_require(case=case, partner=partner, sections=sections)
    for consent in queries.covering_consents(case, letter):
        if consent.partner_id is None:
            return consent
    raise ConsentMissing(
        _(
            "No consent for %(kind)s: the person has not agreed that this (%(sections)s) may go "
            "to them. Record their consent first."
        )
        % {
            "kind": queries.kind_label(letter.recipient_kind),
            "sections": ", ".join(sorted(sections)) or _("any part of the case"),
        }
    )


def dossier_make(
    *,
    case: Case,
    template: LetterTemplate,
    actor: User,
    partner: PartnerOrganisation | None = None,
    request_id: str | None = None,
) -> Dossier:
    """The filled-in letter as PDF, after the consent check; audited, not stored."""
    access.require_working(actor, case, Perm.CASES_SHARE)
    if not template.active:
        raise InvalidInput(_("This template is no longer in use."))
    if case.is_frozen:
        raise ConsentMissing(_("The case is frozen: no letter is made while it is."))
    _consent(case, template, partner)
    people = case_queries.people_of(case)
    facts = placeholders.Facts(
        case=case,
        principal=next((p for p in people if p.is_principal), None),
        others=[p for p in people if not p.is_principal],
    )
    data = pdf.render(template, placeholders.fill(template.body, facts))
    with audit.atomic():
        locked = common.lock(case)
        if locked.is_frozen:
            raise ConsentMissing(_("The case is frozen: no letter is made while it is."))
        _consent(locked, template, partner)  # not withdrawn while the PDF was made
        common.record(
            actor,
            "case.dossier_made",
            locked,
            object_type="case.dossier",
            object_id=f"{locked.pk}:{template.pk}",
            request_id=request_id,
        )
    return Dossier(data=data, filename=f"{case.reference}-{template.code}.pdf")
