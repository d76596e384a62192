"""Admin pages of letter templates, under /staff/admin/letters/: list, add, change. Thin:
parse, call ``services.templates``, render. Configuration, not case data: no step-up (as the
fields and checklists)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.cases.views.common import GET_POST, request_id, run, status_of, viewer
from passage.dossiers import placeholders, queries
from passage.dossiers.forms import TemplateForm
from passage.dossiers.services import templates as services

LIST = "dossiers:templates"


@staff_view(Perm.TEMPLATES_MANAGE)
@require_safe
def templates(request: HttpRequest) -> HttpResponse:
    rows = [
        (letter, sorted(placeholders.sections_of(letter.body)))
        for letter in queries.templates_all()
    ]
    return render(request, "dossiers/admin/templates.html", {"rows": rows})


@staff_view(Perm.TEMPLATES_MANAGE)
@require_http_methods(GET_POST)
def template_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = TemplateForm(data, creating=True)
    done = run(
        request,
        form,
        lambda: services.template_create(
            actor=viewer(request),
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            recipient_kind=form.cleaned_data["recipient_kind"],
            language=form.cleaned_data["language"],
            body=form.cleaned_data["body"],
            pathway_kind=form.cleaned_data["pathway_kind"],
            request_id=request_id(request),
        ),
        success=_("Template added."),
        then=reverse(LIST),
    )
    if done:
        return done
    context = {"form": form, "letter": None, "title": _("New letter template")}
    return render(request, "dossiers/admin/template_form.html", context, status=status_of(form))


@staff_view(Perm.TEMPLATES_MANAGE)
@require_http_methods(GET_POST)
def template_edit(request: HttpRequest, template_id: str) -> HttpResponse:
    letter = queries.template(template_id)
    if letter is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    initial = {
        "name": letter.name,
        "recipient_kind": letter.recipient_kind,
        "language": letter.language,
        "pathway_kind": letter.pathway_kind,
        "body": letter.body,
        "active": letter.active,
    }
    form = TemplateForm(data, creating=False, initial=initial)

    def save() -> None:
        changed = services.template_change(
            template=letter,
            actor=viewer(request),
            name=form.cleaned_data["name"],
            recipient_kind=form.cleaned_data["recipient_kind"],
            language=form.cleaned_data["language"],
            body=form.cleaned_data["body"],
            active=form.cleaned_data["active"],
            pathway_kind=form.cleaned_data["pathway_kind"],
            request_id=request_id(request),
        )
        if not changed:
            messages.info(request, _("Nothing was changed."))

    done = run(request, form, save, success=_("Template saved."), then=reverse(LIST))
    if done:
        return done
    context = {"form": form, "letter": letter, "title": _("Change a letter template")}
    return render(request, "dossiers/admin/template_form.html", context, status=status_of(form))
