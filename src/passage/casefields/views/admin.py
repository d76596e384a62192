"""Admin pages of fields and checklists, under /staff/admin/fields/: list, add, change, move up
or down (plain forms, no JavaScript needed), retire and reinstate. Thin: parse, call
``services.definitions``, render. Configuration, not case data: no step-up (as campaigns)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.casefields import queries
from passage.casefields.forms import DefinitionForm
from passage.casefields.models import FieldDefinition, Section
from passage.casefields.services import definitions as services
from passage.cases.exceptions import CaseError
from passage.cases.views.common import GET_POST, request_id, run, status_of, viewer

LIST = "casefields:fields"


def _found(definition_id: str) -> FieldDefinition:
    definition = queries.definition(definition_id)
    if definition is None:
        raise Http404
    return definition


@staff_view(Perm.FIELDS_MANAGE)
@require_safe
def fields(request: HttpRequest) -> HttpResponse:
    rows = list(queries.definitions_all())
    sections = [
        (code, label, [row for row in rows if row.section == code])
        for code, label in Section.choices
    ]
    return render(request, "casefields/admin/fields.html", {"sections": sections})


@staff_view(Perm.FIELDS_MANAGE)
@require_http_methods(GET_POST)
def field_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = {"section": request.GET.get("section", ""), "kind": "text"}
    form = DefinitionForm(data, desks=queries.desks_choosable(), initial=initial)
    done = run(
        request,
        form,
        lambda: services.definition_create(
            actor=viewer(request),
            section=form.cleaned_data["section"],
            kind=form.cleaned_data["kind"],
            label=form.cleaned_data["label"],
            help_text=form.cleaned_data["help_text"],
            choices=form.choice_list(),
            required=form.cleaned_data["required"],
            desk=form.cleaned_data["desk"],
            request_id=request_id(request),
        ),
        success=_("Field added."),
        then=reverse(LIST),
    )
    if done:
        return done
    context = {"form": form, "definition": None, "title": _("New field or checklist item")}
    return render(request, "casefields/admin/field_form.html", context, status=status_of(form))


@staff_view(Perm.FIELDS_MANAGE)
@require_http_methods(GET_POST)
def field_edit(request: HttpRequest, definition_id: str) -> HttpResponse:
    definition = _found(definition_id)
    data = request.POST if request.method == "POST" else None
    initial = {
        "label": definition.label,
        "help_text": definition.help_text,
        "choices": "\n".join(definition.choices),
        "required": definition.required,
        "desk": definition.desk_id,
    }
    form = DefinitionForm(
        data, desks=queries.desks_choosable(definition), definition=definition, initial=initial
    )

    def save() -> None:
        changed = services.definition_change(
            definition=definition,
            actor=viewer(request),
            label=form.cleaned_data["label"],
            help_text=form.cleaned_data["help_text"],
            choices=form.choice_list(),
            required=form.cleaned_data.get("required", False),
            desk=form.cleaned_data["desk"],
            request_id=request_id(request),
        )
        if not changed:
            messages.info(request, _("Nothing was changed."))

    done = run(request, form, save, success=_("Field saved."), then=reverse(LIST))
    if done:
        return done
    context = {"form": form, "definition": definition, "title": _("Change a field")}
    return render(request, "casefields/admin/field_form.html", context, status=status_of(form))


@staff_view(Perm.FIELDS_MANAGE)
@require_POST
def field_move(request: HttpRequest, definition_id: str) -> HttpResponse:
    """The "Move up" / "Move down" buttons of the list (a form each: works without JS)."""
    definition = _found(definition_id)
    direction = request.POST.get("direction", "")
    if direction not in {"up", "down"}:
        return render(
            request,
            "casefields/admin/refused.html",
            {"error": _("Move a field up or down.")},
            status=400,
        )
    try:
        moved = services.definition_move(
            definition=definition,
            direction=direction,
            actor=viewer(request),
            request_id=request_id(request),
        )
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        if not moved:
            messages.info(request, _("It is first or last in its section already."))
    return redirect(f"{reverse(LIST)}#field-{definition.pk}")


def _confirmed(
    request: HttpRequest,
    definition: FieldDefinition,
    *,
    action: Callable[..., bool],
    title: str,
    body: list[str],
    button: str,
    done: str,
    danger: bool,
) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            action(definition=definition, actor=viewer(request), request_id=request_id(request))
        except CaseError as exc:
            error = str(exc)
        else:
            messages.success(request, done)
            return redirect(LIST)
    context = {
        "title": title,
        "body": body,
        "button": button,
        "back": reverse(LIST),
        "danger": danger,
        "error": error,
    }
    return render(request, "accounts/admin/confirm.html", context, status=400 if error else 200)


@staff_view(Perm.FIELDS_MANAGE)
@require_http_methods(GET_POST)
def field_retire(request: HttpRequest, definition_id: str) -> HttpResponse:
    definition = _found(definition_id)
    return _confirmed(
        request,
        definition,
        action=services.definition_retire,
        title=_("Retire “%(label)s”?") % {"label": definition.label},
        body=[
            _("Staff are no longer asked for it; it leaves the forms of every case."),
            _(
                "Values already recorded stay on their cases (marked “retired”) and in their "
                "exports. You can reinstate the field later."
            ),
        ],
        button=_("Retire the field"),
        done=_("Field retired."),
        danger=True,
    )


@staff_view(Perm.FIELDS_MANAGE)
@require_http_methods(GET_POST)
def field_reinstate(request: HttpRequest, definition_id: str) -> HttpResponse:
    definition = _found(definition_id)
    return _confirmed(
        request,
        definition,
        action=services.definition_reinstate,
        title=_("Reinstate “%(label)s”?") % {"label": definition.label},
        body=[_("Staff are asked for it again; it comes back at the end of its section.")],
        button=_("Reinstate the field"),
        done=_("Field reinstated."),
        danger=False,
    )
