"""Interpreter pages (my cases; a case's story, mailbox messages and contacts, each original
with its translations) and, for those who work a case, giving it an interpreter and ending that.

Thin: parse, call a query or a service, render. Every page that decrypts is an audited read
(``record_read``); an interpreter's page of a case they do not interpret now is a 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.cases.exceptions import InvalidInput
from passage.cases.queries import CaseView, uuid_or_none
from passage.cases.views.common import (
    GET_POST,
    case_view,
    confirm,
    record_read,
    render_case,
    request_id,
    run,
    status_of,
    viewer,
)
from passage.interpreting import queries, services
from passage.interpreting.forms import AssignForm, TranslationForm
from passage.interpreting.models import Translation

# The interpreter's sections of a case: (key, URL name, translation source kind, label).
SECTIONS = (
    ("narrative", "interpret:case", Translation.Source.NARRATIVE, gettext_lazy("Story")),
    ("messages", "interpret:messages", Translation.Source.MESSAGE, gettext_lazy("Messages")),
    ("contacts", "interpret:contacts", Translation.Source.CONTACT, gettext_lazy("Contacts")),
)
SECTION_URLS = {key: name for key, name, _source, _label in SECTIONS}
SECTION_OF_SOURCE = {source: key for key, _name, source, _label in SECTIONS}


def _interpreted(request: HttpRequest, case_id: object) -> CaseView:
    view = queries.interpreted_case(viewer(request), case_id)
    if view is None:
        raise Http404
    return view


def _render(
    request: HttpRequest,
    template: str,
    view: CaseView,
    *,
    section: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """An interpreter page: the case's reference and the interpreter's three sections only."""
    mine = queries.my_assignments(viewer(request)).filter(case=view.case).first()
    full = {
        "view": view,
        "case": view.case,
        "section": section,
        "languages": mine.languages if mine is not None else [],
        "sections": [
            (key, reverse(name, args=[view.case.pk]), label)
            for key, name, _source, label in SECTIONS
        ],
        **(context or {}),
    }
    return render(request, template, full, status=status)


@staff_view(Perm.INTERPRET)
@require_safe
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases I interpret now: reference and languages only (nothing decrypted)."""
    rows = queries.my_assignments(viewer(request))
    return render(request, "interpreting/my_cases.html", {"assignments": rows})


@staff_view(Perm.INTERPRET)
@require_safe
def case_narrative(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _interpreted(request, case_id)
    record_read(request, view, "narrative")
    translations = queries.translations_of(view.case, Translation.Source.NARRATIVE)
    context = {
        "narrative": view.case.narrative or "",
        "translations": translations.get((Translation.Source.NARRATIVE, view.case.pk), []),
    }
    return _render(
        request, "interpreting/narrative.html", view, section="narrative", context=context
    )


@staff_view(Perm.INTERPRET)
@require_safe
def case_messages(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _interpreted(request, case_id)
    record_read(request, view, "messages")
    kind = Translation.Source.MESSAGE
    rows = queries.beside(
        queries.messages_of(view.case), queries.translations_of(view.case, kind), kind
    )
    return _render(
        request, "interpreting/messages.html", view, section="messages", context={"rows": rows}
    )


@staff_view(Perm.INTERPRET)
@require_safe
def case_contacts(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _interpreted(request, case_id)
    record_read(request, view, "contacts")
    kind = Translation.Source.CONTACT
    rows = queries.beside(queries.contacts_of(view), queries.translations_of(view.case, kind), kind)
    return _render(
        request, "interpreting/contacts.html", view, section="contacts", context={"rows": rows}
    )


def _original(view: CaseView, kind: str, source_id: object) -> Any:
    """The original a translation is of (decrypted), or 404."""
    pk = uuid_or_none(source_id)
    if pk is None:
        raise Http404
    if kind == Translation.Source.NARRATIVE and pk == view.case.pk:
        return view.case.narrative or ""
    if kind == Translation.Source.MESSAGE:
        found = [m for m in queries.messages_of(view.case) if m.id == pk and m.readable]
        if found:
            return found[0].text
    if kind == Translation.Source.CONTACT:
        contacts = [c for c in queries.contacts_of(view) if c.id == pk]
        if contacts:
            return contacts[0].summary or ""
    raise Http404


def _translation_page(
    request: HttpRequest,
    view: CaseView,
    *,
    kind: str,
    source_id: uuid.UUID,
    translation: Translation | None,
) -> HttpResponse:
    section = SECTION_OF_SOURCE[Translation.Source(kind)]
    original = _original(view, kind, source_id)
    back = reverse(SECTION_URLS[section], args=[view.case.pk])
    data = request.POST if request.method == "POST" else None
    if data is None:
        record_read(request, view, section)
    initial = {"text": translation.text} if translation is not None else {}
    form = TranslationForm(data, initial=initial, fixed_language=translation is not None)

    def save() -> Translation:
        if translation is None:
            return services.translation_add(
                case=view.case,
                source_kind=kind,
                source_id=source_id,
                language=form.cleaned_data["language"],
                text=form.cleaned_data["text"],
                actor=viewer(request),
                request_id=request_id(request),
            )
        return services.translation_edit(
            translation=translation,
            text=form.cleaned_data["text"],
            actor=viewer(request),
            request_id=request_id(request),
        )

    done = run(request, form, save, success=_("Translation saved."), then=back)
    if done:
        return done
    context = {"form": form, "original": original, "translation": translation, "back": back}
    return _render(
        request,
        "interpreting/translation_form.html",
        view,
        section=section,
        context=context,
        status=status_of(form),
    )


@staff_view(Perm.INTERPRET)
@require_http_methods(GET_POST)
def translation_add(
    request: HttpRequest, case_id: str, kind: str, source_id: uuid.UUID
) -> HttpResponse:
    view = _interpreted(request, case_id)
    if kind not in Translation.Source.values:
        raise Http404
    return _translation_page(request, view, kind=kind, source_id=source_id, translation=None)


@staff_view(Perm.INTERPRET)
@require_http_methods(GET_POST)
def translation_edit(request: HttpRequest, case_id: str, translation_id: str) -> HttpResponse:
    view = _interpreted(request, case_id)
    translation = queries.translation_of(view.case, translation_id)
    if translation is None:
        raise Http404
    return _translation_page(
        request,
        view,
        kind=translation.source_kind,
        source_id=translation.source_id,
        translation=translation,
    )


# --- For those who work the case -------------------------------------------------------------


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def assign(request: HttpRequest, case_id: str) -> HttpResponse:
    """Give the case an interpreter (and see who interprets it, and who did)."""
    view = case_view(request, case_id, working=True)
    interpreters = queries.interpreter_choices(view.case)
    data = request.POST if request.method == "POST" else None
    form = AssignForm(data, interpreters=interpreters)

    def save() -> object:
        chosen = queries.interpreter_by_id(view.case, form.cleaned_data["interpreter"])
        if chosen is None:
            raise InvalidInput(_("Choose an interpreter from the list."))
        return services.interpreter_assign(
            case=view.case,
            interpreter=chosen,
            languages=form.cleaned_data["languages"],
            actor=viewer(request),
            request_id=request_id(request),
        )

    done = run(
        request,
        form,
        save,
        success=_("Interpreter given to the case."),
        then=reverse("cases:case", args=[view.case.pk]),
    )
    if done:
        return done
    context = {"form": form, "assignments": queries.assignments_of(view.case)}
    return render_case(
        request,
        "interpreting/assign_form.html",
        view,
        tab="summary",
        context=context,
        status=status_of(form),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def end(request: HttpRequest, case_id: str, assignment_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    assignment = queries.assignment_of(view.case, assignment_id)
    if assignment is None or not assignment.is_active:
        raise Http404
    return confirm(
        request,
        view,
        action=lambda: services.interpreter_end(
            assignment=assignment, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("End the interpreter's work on this case"),
        body=[
            _(
                "%(who)s will no longer see this case: its story, messages and contacts "
                "disappear from their pages at once. Their translations stay on the case."
            )
            % {"who": assignment.interpreter.username}
        ],
        button=_("End their work on the case"),
        back=reverse("cases:case", args=[view.case.pk]),
        tab="summary",
        success=_("The interpreter no longer sees the case."),
    )
