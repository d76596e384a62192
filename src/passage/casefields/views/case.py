"""A case's admin-defined fields and checklists (the "More details" tab, a recorded view),
editing one section's values, and "Export this case" (step-up; the document only on POST)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.lockdown import EXPORTS_DISABLED_MESSAGE, exports_disabled
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.casefields import queries
from passage.casefields.forms import SectionValuesForm
from passage.casefields.models import Section
from passage.casefields.services import export, values
from passage.cases.exceptions import CaseError
from passage.cases.views.common import (
    GET_POST,
    case_view,
    record_read,
    refused,
    render_case,
    request_id,
    run,
    status_of,
    viewer,
)

READ_SECTION = "details"


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_details(request: HttpRequest, case_id: str) -> HttpResponse:
    """Every section's extra fields and checklists with their values (a recorded view)."""
    view = case_view(request, case_id)
    record_read(request, view, READ_SECTION)
    context = {
        "blocks": queries.details_of(view.case),
        "may_export": view.works and viewer(request).may(Perm.CASES_EXPORT),
    }
    return render_case(
        request,
        "casefields/case_details.html",
        view,
        tab="details",
        context=context,
        recorded=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def section_edit(request: HttpRequest, case_id: str, section: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    if section not in Section.values:
        raise Http404
    block = next((b for b in queries.details_of(view.case) if b.code == section), None)
    if block is None or not block.editable:
        raise Http404
    data = request.POST if request.method == "POST" else None
    if data is None:
        record_read(request, view, READ_SECTION)
    form = SectionValuesForm(data, lines=block.fields + block.checks)
    done = run(
        request,
        form,
        lambda: values.field_values_set(
            case=view.case,
            actor=viewer(request),
            values=form.values(),
            request_id=request_id(request),
        ),
        success=_("Saved."),
        then=reverse("casefields:case-details", args=[view.case.pk]),
    )
    if done:
        return done
    context = {"form": form, "block": block}
    return render_case(
        request,
        "casefields/section_form.html",
        view,
        tab="details",
        context=context,
        status=status_of(form),
        recorded=data is None,
    )


@staff_view(Perm.CASES_EXPORT, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def case_export(request: HttpRequest, case_id: str) -> HttpResponse:
    """GET: what the file holds and how to keep it; POST: the file (audited)."""
    view = case_view(request, case_id, working=True)
    error = ""
    status = 200
    if exports_disabled():
        # Emergency lockdown (docs/lockdown.md): nothing leaves the installation as a file.
        error, status = str(EXPORTS_DISABLED_MESSAGE), 409
    elif request.method == "POST":
        try:
            document = export.case_export(
                case=view.case, actor=viewer(request), request_id=request_id(request)
            )
        except CaseError as exc:
            refused(None, exc)
            error, status = str(exc), 400
        else:
            body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            # The reference only: nothing about the person in a file name a browser remembers.
            response["Content-Disposition"] = f'attachment; filename="{view.case.reference}.json"'
            response["Cache-Control"] = "no-store"
            return response
    return render_case(
        request,
        "casefields/export_confirm.html",
        view,
        tab="details",
        context={
            "error": error,
            "body": [
                _(
                    "You get one file (JSON) with everything this case holds: the people and "
                    "how to reach them, the story, triage, verification, consent, and every "
                    "extra field and checklist."
                ),
                _(
                    "The file is not encrypted. Keep it only on an encrypted device, never in "
                    "e-mail or a cloud folder, and delete it when you no longer need it. The "
                    "export is recorded in the audit log."
                ),
            ],
            "button": _("Download the file"),
            "back": reverse("casefields:case-details", args=[view.case.pk]),
        },
        status=status,
    )
