"""The Pathways tab of a case, the programme pages and the partner directory. Thin: parse, call
a service, render.

The tab decrypts (reference numbers, outcomes), so each view of it is recorded
(``case.section_viewed.pathways``); reading needs the case, writing needs to work it. Programme
pages need ``PATHWAYS_MANAGE`` (logistics, desk leads); the directory needs
``PARTNERS_CONTACTS`` (logistics), and a partner's page, which shows its contact details and
records the view, a recent second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import ROUTINE_REVEAL_SECONDS, Perm
from passage.cases.exceptions import CaseError, CaseNotFound
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
from passage.pathways import queries
from passage.pathways.forms import (
    ApplicationAddForm,
    ApplicationForm,
    PartnerProfileForm,
    ProgrammeForm,
)
from passage.pathways.models import Programme
from passage.pathways.services import applications, partners, programmes


def _saved(request: HttpRequest, form: forms.Form, action: Callable[[], Any], done: str) -> bool:
    """Call ``action`` for a valid bound form; its refusal becomes a form error."""
    if not form.is_bound or not form.is_valid():
        return False
    try:
        action()
    except CaseNotFound:
        raise Http404 from None
    except CaseError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, done)
    return True


# --- The case tab ----------------------------------------------------------------------------


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def case_pathways(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case's applications and the form to add one."""
    view = case_view(request, case_id)
    writing = request.method == "POST"
    if writing and not (view.works and viewer(request).may(Perm.CASES_WORK)):
        raise Http404
    open_programmes = Programme.objects.filter(is_active=True)
    form = ApplicationAddForm(request.POST if writing else None, programmes=open_programmes)
    done = run(
        request,
        form,
        lambda: applications.application_add(
            case=view.case,
            actor=viewer(request),
            programme=form.cleaned_data["programme"],
            reference=form.cleaned_data["reference"],
            next_deadline=form.cleaned_data["next_deadline"],
            request_id=request_id(request),
        ),
        success=_("Application added."),
        then=reverse("pathways:case", args=[view.case.pk]),
    )
    if done:
        return done
    record_read(request, view, "pathways")
    rows = queries.programmes(active_only=True)
    context = {
        "form": form,
        "applications": queries.applications_of(view),
        "places": {row.programme.pk: row for row in rows},
    }
    return render_case(
        request,
        "pathways/case_pathways.html",
        view,
        tab="pathways",
        context=context,
        status=status_of(form),
        recorded=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def application_edit(request: HttpRequest, case_id: str, application_id: str) -> HttpResponse:
    """Move an application on (status, dates), or change its reference, deadline or outcome."""
    view = case_view(request, case_id, working=True)
    application = queries.application_of(view, application_id)
    if application is None:
        raise Http404
    initial = {
        "status": application.status,
        "reference": application.reference or "",
        "next_deadline": application.next_deadline,
        "outcome": application.outcome or "",
    }
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, initial=initial)
    done = run(
        request,
        form,
        lambda: applications.application_change(
            application=application,
            actor=viewer(request),
            status=form.cleaned_data["status"],
            reference=form.cleaned_data["reference"],
            next_deadline=form.cleaned_data["next_deadline"],
            outcome=form.cleaned_data["outcome"],
            on=form.cleaned_data["on"],
            request_id=request_id(request),
        ),
        success=_("Application saved."),
        then=reverse("pathways:case", args=[view.case.pk]),
    )
    if done:
        return done
    if data is None:
        record_read(request, view, "pathways")
    return render_case(
        request,
        "pathways/application_form.html",
        view,
        tab="pathways",
        context={"form": form, "application": application},
        status=status_of(form),
        recorded=data is None,
    )


# --- Programmes ------------------------------------------------------------------------------


@staff_view(Perm.PATHWAYS_MANAGE)
@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": queries.programmes(),
        "may_see_partners": viewer(request).may(Perm.PARTNERS_CONTACTS),
    }
    return render(request, "pathways/programmes.html", context)


def _programme_form(request: HttpRequest, programme: Programme | None) -> HttpResponse:
    actor = viewer(request)
    initial = (
        {
            "kind": programme.kind,
            "name": programme.name,
            "partner": programme.partner_id,
            "quota": programme.quota,
            "is_active": programme.is_active,
        }
        if programme
        else {}
    )
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(data, initial=initial, partners=queries.directory_partners(actor))

    def save() -> Programme:
        fields = {
            "actor": actor,
            "kind": form.cleaned_data["kind"],
            "name": form.cleaned_data["name"],
            "partner": form.cleaned_data["partner"],
            "quota": form.cleaned_data["quota"],
            "request_id": request_id(request),
        }
        if programme is None:
            return programmes.programme_create(**fields)
        return programmes.programme_change(
            programme=programme, is_active=form.cleaned_data["is_active"], **fields
        )

    if _saved(request, form, save, _("Programme saved.")):
        return redirect("pathways:programmes")
    context = {"form": form, "programme": programme}
    return render(request, "pathways/programme_form.html", context, status=status_of(form))


@staff_view(Perm.PATHWAYS_MANAGE)
@require_http_methods(GET_POST)
def programme_new(request: HttpRequest) -> HttpResponse:
    return _programme_form(request, None)


@staff_view(Perm.PATHWAYS_MANAGE)
@require_http_methods(GET_POST)
def programme_edit(request: HttpRequest, programme_id: str) -> HttpResponse:
    programme = queries.programme(programme_id)
    if programme is None:
        raise Http404
    return _programme_form(request, programme)


# --- Partner directory -----------------------------------------------------------------------


@staff_view(Perm.PARTNERS_CONTACTS)
@require_safe
def partner_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pathways/partners.html", {"rows": queries.directory(viewer(request))})


@staff_view(Perm.PARTNERS_CONTACTS, step_up=ROUTINE_REVEAL_SECONDS)
@require_http_methods(GET_POST)
def partner_detail(request: HttpRequest, partner_id: str) -> HttpResponse:
    """A partner's contact details (the view is recorded) and the form to change them."""
    actor = viewer(request)
    partner = queries.directory_partner(actor, partner_id)
    if partner is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = PartnerProfileForm(data)
    if _saved(
        request,
        form,
        lambda: partners.profile_save(
            partner=partner,
            actor=actor,
            trust_level=form.cleaned_data["trust_level"],
            contacts=form.cleaned_data["contacts"],
            request_id=request_id(request),
        ),
        _("Partner details saved."),
    ):
        return redirect("pathways:partners")
    if data is None:
        contacts = partners.contacts_read(
            partner=partner, actor=actor, request_id=request_id(request)
        )
        profile = queries.profile_of(partner)
        form = PartnerProfileForm(
            initial={
                "contacts": contacts,
                "trust_level": profile.trust_level if profile else "unvetted",
            }
        )
    context = {"form": form, "partner": partner}
    return render(request, "pathways/partner.html", context, status=status_of(form))
