"""The Letters tab of a case: which templates the person's consent allows, and to whom, and
which it refuses (with the reason); making one is a POST that returns the PDF as an
attachment named ``<reference>-<template code>.pdf``, ``no-store``, after its audit entry.

Both need a recent second factor: the tab too, so that the step-up happens before the button
is pressed (a POST sent to step-up would come back as a GET).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.lockdown import EXPORTS_DISABLED_MESSAGE, exports_disabled
from passage.accounts.models import PartnerOrganisation
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases.exceptions import CaseError
from passage.cases.queries import CaseView
from passage.cases.views.common import case_view, refused, render_case, request_id, viewer
from passage.dossiers import queries
from passage.dossiers.services import dossiers as services


def _page(request: HttpRequest, view: CaseView, *, error: str = "") -> HttpResponse:
    context = {"rows": queries.letters_for(view.case), "error": error}
    status = 400 if error else 200
    return render_case(
        request, "dossiers/letters.html", view, tab="letters", context=context, status=status
    )


@staff_view(Perm.CASES_SHARE, step_up=STEP_UP_SECONDS)
@require_safe
def letters(request: HttpRequest, case_id: str) -> HttpResponse:
    return _page(request, case_view(request, case_id, working=True))


def _partner(letter_kind: str, value: str) -> PartnerOrganisation | None:
    """The organisation chosen on the form (of the letter's kind), None for "any", else 404."""
    if not value:
        return None
    found = queries.partner_of_kind(value, letter_kind)
    if found is None:
        raise Http404
    return found


@staff_view(Perm.CASES_SHARE, step_up=STEP_UP_SECONDS)
@require_POST
def letter_make(request: HttpRequest, case_id: str, template_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    if exports_disabled():
        # Emergency lockdown (docs/lockdown.md): no letter leaves the installation.
        refusal = _page(request, view, error=str(EXPORTS_DISABLED_MESSAGE))
        refusal.status_code = 409
        return refusal
    letter = queries.template_active(template_id)
    if letter is None:
        raise Http404
    partner = _partner(letter.recipient_kind, request.POST.get("partner", ""))
    try:
        dossier = services.dossier_make(
            case=view.case,
            template=letter,
            actor=viewer(request),
            partner=partner,
            request_id=request_id(request),
        )
    except CaseError as exc:
        refused(None, exc)
        return _page(request, view, error=str(exc))
    response = HttpResponse(dossier.data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dossier.filename}"'
    response["Content-Length"] = str(len(dossier.data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
