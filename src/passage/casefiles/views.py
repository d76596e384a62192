"""The Files tab of a case: the list (plain facts), names on an audited click, upload, the
audited download (POST only) and removal.

A file is never served to a GET: opening it is a POST that writes the audit entry first. The
download carries a generic name (``PSG-2026-000123-file-3.pdf``), ``attachment``, ``nosniff``
and ``no-store``: no name the person gave it, in a header or in the browser's history.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.access import staff_view
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.casefiles import queries, services
from passage.casefiles.forms import CaseFileUploadForm
from passage.casefiles.models import CaseFile
from passage.cases.exceptions import CaseError
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    confirm,
    refused,
    render_case,
    request_id,
    status_of,
    viewer,
)


def _file_or_404(view: CaseView, file_id: object) -> CaseFile:
    found = queries.file_of(view, file_id)
    if found is None:
        raise Http404
    return found


def _list(
    request: HttpRequest, view: CaseView, *, revealed: bool, status: int = 200
) -> HttpResponse:
    context = {
        "files": queries.files_of(view, readable=revealed),
        "revealed": revealed,
    }
    return render_case(
        request,
        "casefiles/files.html",
        view,
        tab="files",
        context=context,
        status=status,
        recorded=revealed,
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def case_files(request: HttpRequest, case_id: str) -> HttpResponse:
    """GET: the files by number, kind, size, who and when (nothing decrypted). POST: the same
    with their names and descriptions, after recording the read."""
    view = case_view(request, case_id)
    if request.method != "POST":
        return _list(request, view, revealed=False)
    try:
        services.case_files_reveal(
            case=view.case, actor=viewer(request), request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
    return _list(request, view, revealed=True)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def file_add(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = CaseFileUploadForm.for_request(request)
    if form.is_bound and form.is_valid():
        try:
            added = services.case_file_add(
                case=view.case,
                actor=viewer(request),
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("File %(number)s added.") % {"number": added.number})
            return redirect("casefiles:files", case_id=view.case.pk)
    return render_case(
        request,
        "casefiles/file_add.html",
        view,
        tab="files",
        context={"form": form},
        status=status_of(form),
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_POST
def file_download(request: HttpRequest, case_id: str, file_id: str) -> HttpResponse:
    """The decrypted file, after its audit entry; never to a GET."""
    view = case_view(request, case_id)
    case_file = _file_or_404(view, file_id)
    try:
        opened = services.case_file_open(
            case_file=case_file, actor=viewer(request), request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))
        return redirect("casefiles:files", case_id=view.case.pk)
    response = HttpResponse(opened.data, content_type=opened.content_type)
    response["Content-Disposition"] = f'attachment; filename="{opened.download_name}"'
    response["Content-Length"] = str(len(opened.data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@staff_view(Perm.CASES_WORK, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def file_remove(request: HttpRequest, case_id: str, file_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    case_file = _file_or_404(view, file_id)
    if case_file.is_removed:
        raise Http404
    number = case_file.number
    return confirm(
        request,
        view,
        action=lambda: services.case_file_remove(
            case_file=case_file, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Remove file %(number)s") % {"number": number},
        body=[
            _(
                "The file, its name and its description are erased for good: nobody can "
                "open them again. The list keeps a line saying that file %(number)s was "
                "removed, by you, and when."
            )
            % {"number": number},
        ],
        button=_("Remove the file"),
        back=reverse("casefiles:files", args=[view.case.pk]),
        tab="files",
        success=_("File %(number)s removed.") % {"number": number},
    )
