"""Export pages (``/staff/exports/``): the list, a redacted CSV (downloaded at once), a full
export's request, its second approval or refusal, and the download of the sealed file.

Every page refuses with 409 and the lockdown's message while exports are disabled. Files come
only from a POST, as attachments named by the export's id, ``no-store``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.lockdown import EXPORTS_DISABLED_MESSAGE, exports_disabled
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases.exceptions import CaseError, CaseNotFound
from passage.cases.views.common import GET_POST, request_id, viewer
from passage.exports import queries, services
from passage.exports.forms import FiltersForm, FullExportForm
from passage.exports.models import Export


def _disabled(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exports/refused.html",
        {"message": str(EXPORTS_DISABLED_MESSAGE)},
        status=409,
    )


def _export_or_404(request: HttpRequest, export_id: object) -> Export:
    found = queries.export_for(viewer(request), export_id)
    if found is None:
        raise Http404
    return found


def _refusal_status(exc: CaseError) -> int:
    if isinstance(exc, CaseNotFound):
        raise Http404 from None
    return 409 if isinstance(exc, services.ExportsDisabled) else 400


def _attachment(data: bytes, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(Perm.CASES_EXPORT_BULK)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    context = {
        "exports": queries.exports_listed(user),
        "waiting": queries.waiting_for(user),
        "disabled": exports_disabled(),
        "now": timezone.now(),
    }
    return render(request, "exports/index.html", context)


@staff_view(Perm.CASES_EXPORT_BULK)
@require_http_methods(GET_POST)
def redacted(request: HttpRequest) -> HttpResponse:
    """GET: the filters; POST: the CSV of plain columns, at once (audited with its count)."""
    if exports_disabled():
        return _disabled(request)
    user = viewer(request)
    form = FiltersForm(request.POST if request.method == "POST" else None, user=user)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            export, data = services.export_redacted(
                actor=user, filters=form.filters(), request_id=request_id(request)
            )
        except CaseError as exc:
            status = _refusal_status(exc)
            form.add_error(None, str(exc))
        else:
            day = export.requested_at.date().isoformat()
            return _attachment(
                data, name=f"cases-redacted-{day}.csv", content_type="text/csv; charset=utf-8"
            )
    return render(request, "exports/redacted.html", {"form": form}, status=status)


@staff_view(Perm.CASES_EXPORT_BULK, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def full_new(request: HttpRequest) -> HttpResponse:
    """Ask for a full export: it waits for a second person with the permission."""
    if exports_disabled():
        return _disabled(request)
    user = viewer(request)
    form = FullExportForm(request.POST if request.method == "POST" else None, user=user)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            export = services.export_request(
                actor=user,
                desk=data["desk"],
                partner=data["partner"],
                sections=list(data["sections"]),
                public_key=data["public_key"],
                stage=data.get("stage") or "",
                opened_from=data.get("opened_from"),
                opened_to=data.get("opened_to"),
                request_id=request_id(request),
            )
        except CaseError as exc:
            status = _refusal_status(exc)
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Asked. A second person must now approve the export."))
            return redirect("exports:export", export_id=export.pk)
    return render(request, "exports/full_new.html", {"form": form}, status=status)


def _page(
    request: HttpRequest, found: Export, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = viewer(request)
    context = {
        "export": found,
        "mine": found.requested_by_id == user.pk,
        "may_decide": found.status == Export.Status.WAITING and found.requested_by_id != user.pk,
        "disabled": exports_disabled(),
        "error": error,
    }
    return render(request, "exports/export.html", context, status=status)


@staff_view(Perm.CASES_EXPORT_BULK)
@require_safe
def export(request: HttpRequest, export_id: str) -> HttpResponse:
    return _page(request, _export_or_404(request, export_id))


def _decide(request: HttpRequest, export_id: str, *, approve: bool) -> HttpResponse:
    found = _export_or_404(request, export_id)
    if approve and exports_disabled():
        return _disabled(request)
    if request.method != "POST":
        # Back from the step-up page (a GET): the export's page, with its buttons.
        return _page(request, found)
    user = viewer(request)
    try:
        if approve:
            services.export_approve(export=found, actor=user, request_id=request_id(request))
        else:
            services.export_refuse(export=found, actor=user, request_id=request_id(request))
    except CaseError as exc:
        return _page(request, found, error=str(exc), status=_refusal_status(exc))
    messages.success(
        request, _("Approved: the file is sealed for the recipient.") if approve else _("Done.")
    )
    return redirect(reverse("exports:export", kwargs={"export_id": found.pk}))


@staff_view(Perm.CASES_EXPORT_BULK, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def approve(request: HttpRequest, export_id: str) -> HttpResponse:
    return _decide(request, export_id, approve=True)


@staff_view(Perm.CASES_EXPORT_BULK)
@require_POST
def refuse(request: HttpRequest, export_id: str) -> HttpResponse:
    return _decide(request, export_id, approve=False)


@staff_view(Perm.CASES_EXPORT_BULK, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def download(request: HttpRequest, export_id: str) -> HttpResponse:
    """POST: the sealed file (``.psgx``), for the person who asked for it (audited). GET (back
    from the step-up page): the export's page with its button."""
    found = _export_or_404(request, export_id)
    if exports_disabled():
        return _disabled(request)
    if request.method != "POST":
        return _page(request, found)
    user = viewer(request)
    try:
        data = services.export_download(export=found, actor=user, request_id=request_id(request))
    except CaseError as exc:
        return _page(request, found, error=str(exc), status=_refusal_status(exc))
    return _attachment(
        data, name=f"export-{found.pk}.psgx", content_type="application/octet-stream"
    )
