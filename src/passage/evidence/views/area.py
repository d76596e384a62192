"""The Evidence area: the corroboration view (counts only), coded places and alleged
perpetrators (labels after an audited click), and evidence bundles (items, the second
approver, the PDF, the chain of custody).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.audit import services as audit
from passage.cases.exceptions import CaseError, CaseNotFound
from passage.cases.services import common as case_common
from passage.cases.views.common import GET_POST, request_id, status_of, viewer
from passage.evidence import queries
from passage.evidence.forms import BundleForm, CustodyForm, PerpetratorForm, PlaceForm
from passage.evidence.models import Bundle
from passage.evidence.services import bundles as services
from passage.evidence.services import records
from passage.evidence.services.common import ExportsDisabled


@staff_view(Perm.EVIDENCE_WORK)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Where the evidence is strong: distinct cases naming each place, perpetrator, pattern."""
    return render(request, "evidence/index.html", {"counts": queries.corroboration()})


def _register(request: HttpRequest, template: str, rows: object, kind: str) -> HttpResponse:
    revealed = request.method == "POST"
    if revealed:
        with audit.atomic():
            case_common.record_object(
                viewer(request), f"evidence.{kind}_viewed", kind, "all", request_id(request)
            )
    return render(request, template, {"rows": rows, "revealed": revealed})


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def places(request: HttpRequest) -> HttpResponse:
    """GET: the codes. POST: with their labels, after the audit entry."""
    return _register(request, "evidence/places.html", list(queries.places_all()), "places")


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def perpetrators(request: HttpRequest) -> HttpResponse:
    return _register(
        request, "evidence/perpetrators.html", list(queries.perpetrators_all()), "perpetrators"
    )


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def place_new(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            made = records.place_create(
                actor=viewer(request),
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(code)s added.") % {"code": made.code})
            return redirect("evidence:places")
    return render(
        request, "evidence/form_page.html", _form_context(form, "place"), status=status_of(form)
    )


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def perpetrator_new(request: HttpRequest) -> HttpResponse:
    form = PerpetratorForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            made = records.perpetrator_create(
                actor=viewer(request),
                name=form.cleaned_data["name"],
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(code)s added.") % {"code": made.code})
            return redirect("evidence:perpetrators")
    return render(
        request,
        "evidence/form_page.html",
        _form_context(form, "perpetrator"),
        status=status_of(form),
    )


def _form_context(form: object, kind: str) -> dict[str, object]:
    titles = {
        "place": (_("Add a coded place"), _("Add the place"), "evidence:places"),
        "perpetrator": (
            _("Add an alleged perpetrator"),
            _("Add the perpetrator"),
            "evidence:perpetrators",
        ),
        "bundle": (_("Put a bundle together"), _("Create the bundle"), "evidence:bundles"),
    }
    title, button, back = titles[kind]
    return {"form": form, "title": title, "button": button, "back": back}


# --- Bundles -------------------------------------------------------------------------------


def _bundle(request: HttpRequest, bundle_id: str) -> Bundle:
    found = queries.bundle_for(viewer(request), bundle_id)
    if found is None:
        raise Http404
    return found


@staff_view(Perm.EVIDENCE_WORK)
@require_safe
def bundles(request: HttpRequest) -> HttpResponse:
    return render(
        request, "evidence/bundles.html", {"bundles": queries.bundles_for(viewer(request))}
    )


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def bundle_new(request: HttpRequest) -> HttpResponse:
    form = BundleForm(request.POST or None, user=viewer(request))
    if form.is_bound and form.is_valid():
        try:
            made = services.bundle_create(
                actor=viewer(request),
                desk=form.cleaned_data["desk"],
                purpose=form.cleaned_data["purpose"],
                title=form.cleaned_data["title"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Bundle created: choose what goes in it."))
            return redirect("evidence:bundle-items", bundle_id=made.pk)
    return render(
        request, "evidence/form_page.html", _form_context(form, "bundle"), status=status_of(form)
    )


def _bundle_page(
    request: HttpRequest, bundle: Bundle, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = viewer(request)
    stored = bundle.pdf if bundle.status != Bundle.Status.DRAFT else None
    context = {
        "bundle": bundle,
        "items": services.items_of(bundle),
        "custody": list(bundle.custody.select_related("recorded_by")),
        "refusal": services.approval_refusal(bundle, user),
        "may_approve": user.may(Perm.EVIDENCE_APPROVE),
        "pdf_sha256": getattr(stored, "sha256", ""),
        "manifest": bundle.manifest if bundle.status != Bundle.Status.DRAFT else None,
        "error": error,
    }
    return render(request, "evidence/bundle.html", context, status=status)


@staff_view(Perm.EVIDENCE_WORK)
@require_safe
def bundle(request: HttpRequest, bundle_id: str) -> HttpResponse:
    return _bundle_page(request, _bundle(request, bundle_id))


def _ids(values: list[str]) -> list[uuid.UUID] | None:
    try:
        return [uuid.UUID(v) for v in values]
    except ValueError:
        return None


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def bundle_items(request: HttpRequest, bundle_id: str) -> HttpResponse:
    """Choose testimonies (only those whose consent covers the purpose) and their files."""
    found = _bundle(request, bundle_id)
    if found.status != Bundle.Status.DRAFT:
        raise Http404
    user = viewer(request)
    error = ""
    if request.method == "POST":
        chosen = _ids(request.POST.getlist("testimony"))
        files = _ids(request.POST.getlist("file"))
        if chosen is None or files is None:
            error = _("Choose from the list.")
        else:
            try:
                services.bundle_items_set(
                    bundle=found,
                    actor=user,
                    testimony_ids=chosen,
                    file_ids=files,
                    request_id=request_id(request),
                )
            except CaseError as exc:
                if isinstance(exc, CaseNotFound):
                    raise Http404 from None
                error = str(exc)
            else:
                messages.success(request, _("The bundle's contents were saved."))
                return redirect("evidence:bundle", bundle_id=found.pk)
    offered = services.offered(found, user)
    files_by = services.offered_files(offered)
    current = services.items_of(found)
    context = {
        "bundle": found,
        "offered": [(t, files_by.get(t.pk, [])) for t in offered],
        "chosen": {i.testimony_id for i in current if i.case_file_id is None},
        "chosen_files": {i.case_file_id for i in current if i.case_file_id},
        "error": error,
    }
    return render(request, "evidence/bundle_items.html", context, status=400 if error else 200)


@staff_view(Perm.EVIDENCE_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def bundle_approve(request: HttpRequest, bundle_id: str) -> HttpResponse:
    """GET: what would go out, redacted (an audited read of each case). POST: approve, which
    makes the PDF."""
    found = _bundle(request, bundle_id)
    user = viewer(request)
    if request.method == "POST":
        try:
            services.bundle_approve(bundle=found, actor=user, request_id=request_id(request))
        except CaseError as exc:
            if isinstance(exc, CaseNotFound):
                raise Http404 from None
            return _bundle_page(request, found, error=str(exc), status=400)
        messages.success(request, _("Bundle approved: the PDF is ready."))
        return redirect("evidence:bundle", bundle_id=found.pk)
    refusal = services.approval_refusal(found, user)
    preview = (
        []
        if refusal
        else services.bundle_preview(bundle=found, actor=user, request_id=request_id(request))
    )
    # For legal proceedings: the courts or bodies the consents name, to check the recipient
    # (read with the preview, whose audit entry is written above).
    courts = sorted(
        {
            item.testimony.legal_body
            for item in services.items_of(found)
            if preview and item.case_file is None and item.testimony.legal_body
        }
    )
    context = {"bundle": found, "preview": preview, "refusal": refusal, "courts": courts}
    return render(request, "evidence/bundle_approve.html", context)


@staff_view(Perm.EVIDENCE_WORK, step_up=STEP_UP_SECONDS)
@require_POST
def bundle_download(request: HttpRequest, bundle_id: str) -> HttpResponse:
    found = _bundle(request, bundle_id)
    try:
        data = services.bundle_download(
            bundle=found, actor=viewer(request), request_id=request_id(request)
        )
    except ExportsDisabled as exc:
        return _bundle_page(request, found, error=str(exc), status=409)
    except CaseError as exc:
        if isinstance(exc, CaseNotFound):
            raise Http404 from None
        return _bundle_page(request, found, error=str(exc), status=400)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evidence-bundle-{found.pk}.pdf"'
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@staff_view(Perm.EVIDENCE_WORK)
@require_http_methods(GET_POST)
def custody_add(request: HttpRequest, bundle_id: str) -> HttpResponse:
    found = _bundle(request, bundle_id)
    if found.status == Bundle.Status.DRAFT:
        raise Http404
    form = CustodyForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            services.custody_record(
                bundle=found,
                actor=viewer(request),
                recipient=form.cleaned_data["recipient"],
                given_on=form.cleaned_data["given_on"],
                note=form.cleaned_data["note"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded in the chain of custody."))
            return redirect("evidence:bundle", bundle_id=found.pk)
    context = {
        "form": form,
        "title": _("Record who received the bundle"),
        "button": _("Record it"),
        "back": "evidence:bundles",
    }
    return render(request, "evidence/form_page.html", context, status=status_of(form))
