"""The Testimony tab of a case: the list (plain facts), recording a statement with its consent,
reading it (a POST that writes the audited read first), redaction, files, incidents and links,
and withdrawing consent.

Only those who work the case and hold ``Perm.EVIDENCE_WORK``: break-glass readers, partners
and colleagues of other desks get 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.casefiles.forms import CaseFileUploadForm
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
from passage.evidence import queries, redaction
from passage.evidence.forms import IncidentForm, LinksForm, RedactionForm, TestimonyForm
from passage.evidence.models import Testimony
from passage.evidence.services import records
from passage.evidence.services import testimony as services

TAB = "evidence"


def _view(request: HttpRequest, case_id: str) -> CaseView:
    view = case_view(request, case_id, working=True)
    if not queries.may_work_evidence(view, viewer(request)):
        raise Http404
    return view


def _testimony(view: CaseView, testimony_id: str) -> Testimony:
    found = queries.testimony_of(view, testimony_id)
    if found is None:
        raise Http404
    return found


@staff_view(Perm.EVIDENCE_WORK)
@require_safe
def testimonies(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _view(request, case_id)
    return render_case(
        request,
        "evidence/testimonies.html",
        view,
        tab=TAB,
        context={"testimonies": queries.testimonies_of(view)},
    )


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def testimony_add(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _view(request, case_id)
    form = TestimonyForm(request.POST or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.testimony_record(
                case=view.case,
                actor=viewer(request),
                text=data["text"],
                scopes=data["scopes"],
                consent_on=data["consent_on"],
                legal_body=data["legal_body"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Testimony %(number)s recorded.") % {"number": row.number})
            return redirect("evidence:testimony", case_id=view.case.pk, testimony_id=row.pk)
    return render_case(
        request,
        "evidence/testimony_add.html",
        view,
        tab=TAB,
        context={"form": form},
        status=status_of(form),
    )


def _page(
    request: HttpRequest,
    view: CaseView,
    row: Testimony,
    *,
    revealed: Testimony | None = None,
    form: RedactionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "testimony": row,
        "links": queries.links_of(row),
        "files": queries.files_of(row),
        "revealed": revealed is not None,
        "form": form or RedactionForm(),
    }
    if revealed is not None:
        text = revealed.text or ""
        spans = revealed.redactions or []
        context.update(
            {
                "text": text,
                "legal_body": revealed.legal_body or "",
                "pieces": redaction.pieces(text, spans),
                "spans": [
                    (index, text[start:end], category)
                    for index, (start, end, category) in enumerate(
                        redaction.normalised(spans, len(text))
                    )
                ],
                "redacted_text": redaction.redacted(text, spans),
            }
        )
    return render_case(
        request,
        "evidence/testimony.html",
        view,
        tab=TAB,
        context=context,
        status=status,
        recorded=revealed is not None,
    )


def _read(request: HttpRequest, row: Testimony) -> Testimony:
    try:
        return services.testimony_read(
            testimony=row, actor=viewer(request), request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
        raise Http404 from None


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def testimony(request: HttpRequest, case_id: str, testimony_id: str) -> HttpResponse:
    """GET: what is known without reading (consent, links, files). POST: the statement,
    after the audited read."""
    view = _view(request, case_id)
    row = _testimony(view, testimony_id)
    if request.method != "POST":
        return _page(request, view, row)
    return _page(request, view, row, revealed=_read(request, row))


@staff_view(Perm.EVIDENCE_WORK)
@require_POST
def redaction_add(request: HttpRequest, case_id: str, testimony_id: str) -> HttpResponse:
    view = _view(request, case_id)
    row = _testimony(view, testimony_id)
    form = RedactionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            added = services.redaction_add(
                testimony=row,
                actor=viewer(request),
                category=form.cleaned_data["category"],
                phrase=form.cleaned_data["phrase"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("%(count)s span(s) marked.") % {"count": added})
            form = RedactionForm()
            status = 200
    return _page(request, view, row, revealed=_read(request, row), form=form, status=status)


@staff_view(Perm.EVIDENCE_WORK)
@require_POST
def redaction_remove(request: HttpRequest, case_id: str, testimony_id: str) -> HttpResponse:
    """Remove one marked span (``index`` in text order, posted)."""
    view = _view(request, case_id)
    row = _testimony(view, testimony_id)
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1
    try:
        services.redaction_remove(
            testimony=row, actor=viewer(request), index=index, request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))
    return _page(request, view, row, revealed=_read(request, row))


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def consent_withdraw(request: HttpRequest, case_id: str, testimony_id: str) -> HttpResponse:
    view = _view(request, case_id)
    row = _testimony(view, testimony_id)
    if row.is_withdrawn:
        raise Http404
    return confirm(
        request,
        view,
        action=lambda: services.consent_withdraw(
            testimony=row, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Withdraw consent to testimony %(number)s") % {"number": row.number},
        body=[
            _(
                "The person no longer agrees that this testimony is used. It leaves every "
                "evidence bundle that has not been given out yet (an approved bundle needs "
                "approving again) and can no longer be chosen for one."
            ),
            _("Bundles already given out keep it: their chain of custody stays as it was."),
        ],
        button=_("Withdraw consent"),
        back=reverse("evidence:testimony", args=[view.case.pk, row.pk]),
        tab=TAB,
        success=_("Consent withdrawn."),
    )


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def incident_add(request: HttpRequest, case_id: str, testimony_id: str) -> HttpResponse:
    view = _view(request, case_id)
    row = _testimony(view, testimony_id)
    form = IncidentForm(request.POST or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            records.incident_record(
                testimony=row,
                actor=viewer(request),
                violation=data["violation"],
                place=data["place"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                description=data["description"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Incident recorded."))
            return redirect("evidence:testimony", case_id=view.case.pk, testimony_id=row.pk)
    return render_case(
        request,
        "evidence/incident_add.html",
        view,
        tab=TAB,
        context={"form": form, "testimony": row},
        status=status_of(form),
    )


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def links(request: HttpRequest, case_id: str, testimony_id: str) -> HttpResponse:
    view = _view(request, case_id)
    row = _testimony(view, testimony_id)
    current = queries.links_of(row)
    incidents = queries.incidents_of(view)
    initial = {
        "places": current.places,
        "perpetrators": current.perpetrators,
        "incidents": current.incidents,
    }
    form = LinksForm(
        request.POST or None,
        initial=initial,
        incidents=view.case.incidents.select_related("place").all(),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            records.links_set(
                testimony=row,
                actor=viewer(request),
                places=[p.pk for p in data["places"]],
                perpetrators=[p.pk for p in data["perpetrators"]],
                incidents=[i.pk for i in data["incidents"]],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("What the testimony describes was saved."))
            return redirect("evidence:testimony", case_id=view.case.pk, testimony_id=row.pk)
    return render_case(
        request,
        "evidence/links.html",
        view,
        tab=TAB,
        context={"form": form, "testimony": row, "incidents": incidents},
        status=status_of(form),
    )


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def file_add(request: HttpRequest, case_id: str, testimony_id: str) -> HttpResponse:
    view = _view(request, case_id)
    row = _testimony(view, testimony_id)
    form = CaseFileUploadForm.for_request(request)
    if form.is_bound and form.is_valid():
        try:
            added = services.testimony_file_add(
                testimony=row,
                actor=viewer(request),
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("File %(number)s added.") % {"number": added.number})
            return redirect("evidence:testimony", case_id=view.case.pk, testimony_id=row.pk)
    return render_case(
        request,
        "evidence/file_add.html",
        view,
        tab=TAB,
        context={"form": form, "testimony": row},
        status=status_of(form),
    )
