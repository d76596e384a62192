"""Import pages (``/staff/imports/``): the list, the upload, the mapping (which runs the dry
run), the job's page (the dry run's errors by row, then the progress bar, refreshed by the
page itself without JavaScript), starting and abandoning."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases.exceptions import CaseError, CaseNotFound
from passage.cases.views.common import GET_POST, request_id, viewer
from passage.core.uploads import refusal_messages
from passage.imports import queries, services, targets
from passage.imports.forms import MappingForm, UploadForm
from passage.imports.models import ImportJob

REFRESH_SECONDS = 3


def _job_or_404(request: HttpRequest, job_id: object) -> ImportJob:
    job = queries.job_for(viewer(request), job_id)
    if job is None:
        raise Http404
    return job


def _job_url(job: ImportJob) -> str:
    return reverse("imports:job", kwargs={"job_id": job.pk})


@staff_view(Perm.CASES_IMPORT)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    context = {"jobs": queries.jobs_of(user), "mappings": list(queries.mappings_for(user))}
    return render(request, "imports/index.html", context)


@staff_view(Perm.CASES_IMPORT, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def new(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet and, optionally, a ZIP of files (held in memory, then encrypted)."""
    user = viewer(request)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, user=user
    )
    status = 400 if posted else 200
    if posted:
        for message in refusal_messages(request):
            form.add_error(None, message)
    if posted and form.is_valid() and not form.errors:
        sheet = form.cleaned_data["spreadsheet"]
        archive = form.cleaned_data.get("archive")
        try:
            job = services.import_upload(
                actor=user,
                desk=form.cleaned_data["desk"],
                name=str(sheet.name or ""),
                data=sheet.read(),
                archive=archive.read() if archive else None,
                request_id=request_id(request),
            )
        except CaseError as exc:
            if isinstance(exc, CaseNotFound):
                raise Http404 from None
            form.add_error(None, str(exc))
        else:
            url = reverse("imports:mapping", kwargs={"job_id": job.pk})
            saved = form.cleaned_data.get("saved")
            if saved is not None:
                url += f"?mapping={saved.pk}"
            return redirect(url)
    return render(request, "imports/new.html", {"form": form}, status=status)


@staff_view(Perm.CASES_IMPORT, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def mapping(request: HttpRequest, job_id: str) -> HttpResponse:
    """What each column holds (saved mappings and admin-defined fields offered); posting it
    runs the dry run and shows its result on the job's page."""
    job = _job_or_404(request, job_id)
    if not job.is_live:
        return redirect(_job_url(job))
    user = viewer(request)
    saved = queries.mapping_for(user, request.GET.get("mapping"), job.desk)
    headers = [str(h) for h in (job.headers or [])]
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        headers=headers,
        options=targets.choices_for(job.desk),
        initial_map=services.mapping_for(job, saved),
    )
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            result = services.import_check(
                job=job,
                actor=user,
                mapping=form.mapping(),
                save_as=form.cleaned_data.get("save_as") or "",
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            if result.errors:
                messages.warning(request, _("The check found rows to correct."))
            else:
                messages.success(request, _("Every row passed the check."))
            return redirect(_job_url(job))
    return render(request, "imports/mapping.html", {"form": form, "job": job}, status=status)


@staff_view(Perm.CASES_IMPORT)
@require_safe
def job(request: HttpRequest, job_id: str) -> HttpResponse:
    found = _job_or_404(request, job_id)
    working = found.status in {ImportJob.Status.QUEUED, ImportJob.Status.RUNNING}
    errors = found.errors if found.destroyed_at is None and found.errors else []
    context = {
        "job": found,
        "errors": errors,
        "working": working,
        "refresh": REFRESH_SECONDS if working else None,
    }
    return render(request, "imports/job.html", context)


@staff_view(Perm.CASES_IMPORT, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def start(request: HttpRequest, job_id: str) -> HttpResponse:
    """POST: queue the import. GET (back from the step-up page): the job's page."""
    found = _job_or_404(request, job_id)
    if request.method != "POST":
        return redirect(_job_url(found))
    try:
        services.import_start(job=found, actor=viewer(request), request_id=request_id(request))
    except CaseError as exc:
        messages.error(request, str(exc))
        return render(
            request, "imports/job.html", {"job": found, "error": str(exc), "errors": []}, status=400
        )
    messages.success(request, _("The import has started."))
    return redirect(_job_url(found))


@staff_view(Perm.CASES_IMPORT)
@require_POST
def abandon(request: HttpRequest, job_id: str) -> HttpResponse:
    found = _job_or_404(request, job_id)
    try:
        services.import_abandon(job=found, actor=viewer(request), request_id=request_id(request))
    except CaseError as exc:
        return render(
            request, "imports/job.html", {"job": found, "error": str(exc), "errors": []}, status=400
        )
    messages.success(request, _("Abandoned: the uploaded files are destroyed."))
    return redirect("imports:index")
