"""The Documents tab of a case: each person's documents, adding and changing one, with scans.

Thin: parse, call a service, render. The tab decrypts, so each view of it is recorded
(``case.section_viewed.documents``). Reading needs the case (desk, assignee or break-glass);
writing needs to work it (desk or assignee) and the services check that again. Scans open
through the Files tab's audited POST (``casefiles:file-download``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.casefiles.forms import CaseFileUploadForm
from passage.cases import queries as case_queries
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    record_read,
    render_case,
    request_id,
    run,
    status_of,
    viewer,
)
from passage.documents import queries
from passage.documents.forms import DocumentForm
from passage.documents.services import documents
from passage.documents.services.documents import Scan

SCAN_PREFIX = "scan"


def _scan_form(request: HttpRequest, writing: bool) -> CaseFileUploadForm:
    if writing:
        return CaseFileUploadForm.for_request(request, prefix=SCAN_PREFIX, required=False)
    return CaseFileUploadForm(prefix=SCAN_PREFIX, required=False)


def _scans(upload: CaseFileUploadForm) -> tuple[Scan, ...]:
    checked = upload.cleaned_data["file"]
    if checked is None:
        return ()
    return (Scan(upload=checked, description=upload.cleaned_data["description"]),)


def _save(
    request: HttpRequest,
    view: CaseView,
    form: DocumentForm,
    upload: CaseFileUploadForm,
    action: Callable[[], object],
    success: str,
) -> HttpResponse | None:
    """Run ``action`` when both forms are valid (both are checked, so both show their errors,
    before anything is written); then back to the tab."""
    if form.is_bound and not upload.is_valid():
        form.is_valid()
        return None
    return run(
        request,
        form,
        action,
        success=success,
        then=reverse("documents:documents", args=[view.case.pk]),
    )


def _page(
    request: HttpRequest, view: CaseView, template: str, form: DocumentForm, **context: object
) -> HttpResponse:
    record_read(request, view, "documents")
    return render_case(
        request,
        template,
        view,
        tab="documents",
        context={"form": form, **context},
        status=status_of(form),
        recorded=True,
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def document_list(request: HttpRequest, case_id: str) -> HttpResponse:
    """Every person's documents, and (for those who work the case) the form to add one.
    A POST needs to work the case (anyone else: 404); the service checks the permission."""
    writing = request.method == "POST"
    view = case_view(request, case_id, working=writing)
    people = case_queries.people_of(view.case)
    form = DocumentForm(request.POST if writing else None, people=people)
    upload = _scan_form(request, writing)

    def add() -> None:
        person = case_queries.person_of(view.case, form.cleaned_data["person"])
        if person is None:
            raise Http404
        documents.document_add(
            case=view.case,
            person=person,
            actor=viewer(request),
            details=form.details(),
            scans=_scans(upload),
            request_id=request_id(request),
        )

    done = _save(request, view, form, upload, add, _("Document recorded."))
    if done:
        return done
    people_rows = queries.documents_of(view)
    return _page(request, view, "documents/documents.html", form, upload=upload, people=people_rows)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def document_edit(request: HttpRequest, case_id: str, document_id: str) -> HttpResponse:
    """Change a document and add scans to it (those who work the case)."""
    view = case_view(request, case_id, working=True)
    document = queries.document_of(view, document_id)
    if document is None:
        raise Http404
    writing = request.method == "POST"
    form = DocumentForm(
        request.POST if writing else None, initial=DocumentForm.initial_of(document)
    )
    upload = _scan_form(request, writing)
    done = _save(
        request,
        view,
        form,
        upload,
        lambda: documents.document_change(
            document=document,
            actor=viewer(request),
            details=form.details(),
            scans=_scans(upload),
            request_id=request_id(request),
        ),
        _("Document saved."),
    )
    if done:
        return done
    scans = queries.scans_of(view, document)
    return _page(
        request,
        view,
        "documents/document_form.html",
        form,
        upload=upload,
        document=document,
        scans=scans,
    )
