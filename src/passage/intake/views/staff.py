"""Screening inbox and referral directory (staff console). Thin: parse, call a service, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases import queries as case_queries
from passage.cases.choices import country_name
from passage.cases.views.common import viewer as staff_user
from passage.intake import queries, replies
from passage.intake.exceptions import IntakeError
from passage.intake.forms.staff import (
    AttachForm,
    DeclineForm,
    InboxFilterForm,
    OpenCaseForm,
    ReferralForm,
    ReplyForm,
    TemplateChoiceForm,
    TriageForm,
)
from passage.intake.models import HelpRequest
from passage.intake.services import directory, screening

GET_POST = ["GET", "HEAD", "POST"]


def _request_or_404(request: HttpRequest, request_id: str) -> HelpRequest:
    found = queries.request_for(staff_user(request), request_id)
    if found is None:
        raise Http404
    return found


@staff_view(Perm.REQUESTS_SCREEN)
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """Sealed requests, by the screener's own level, then oldest first. Nothing is decrypted."""
    form = InboxFilterForm(request.GET or None, languages=list(settings.LANGUAGES))
    filters = queries.InboxFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.InboxFilters(
            state=data["state"] or "open", language=data["language"], urgency=data["urgency"]
        )
    page = Paginator(queries.inbox(staff_user(request), filters), queries.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "filters": filters, "back": request.GET.urlencode()}
    return render(request, "intake/staff/inbox.html", context)


@staff_view(Perm.REQUESTS_SCREEN)
@require_POST
def bulk_spam(request: HttpRequest) -> HttpResponse:
    """Floods of fake requests: mark the selected ones as spam (or hostile) in one action."""
    rows = queries.requests_by_ids(staff_user(request), request.POST.getlist("selected"))
    if not rows:
        messages.error(request, _("Select at least one request."))
    else:
        hostile = request.POST.get("as") == "hostile"
        count = screening.requests_mark_spam(
            requests=rows, actor=staff_user(request), hostile=hostile
        )
        messages.success(request, _("%(count)d requests marked.") % {"count": count})
    back = request.POST.get("back", "")
    target = reverse("screening:inbox") + (f"?{back}" if back and "/" not in back else "")
    return redirect(target)


def _detail(request: HttpRequest, help_request: HelpRequest, **forms: Any) -> HttpResponse:
    viewer = staff_user(request)
    # Decided before the forms are taken out of ``forms`` below: a form sent back with errors.
    invalid = any(form.is_bound for form in forms.values())
    opened = screening.request_read(request=help_request, actor=viewer)
    template_key = request.GET.get("template", "")
    reply_form = forms.pop("reply_form", None) or ReplyForm(
        initial={
            "body": replies.text(template_key, help_request.reply_language),
            "template": template_key if template_key in replies.TEMPLATES else "",
        }
    )
    story = opened.latest_story
    country = str(opened.first.get("country") or "")
    organisations = queries.referral_directory(country=country) if country else []
    context = {
        "opened": opened,
        "help_request": opened.request,
        "country": country_name(country) if country else "",
        "story": story,
        "reply_form": reply_form,
        "template_form": TemplateChoiceForm(initial={"template": template_key}),
        "triage_form": forms.pop("triage_form", None)
        or TriageForm(initial={"level": help_request.level or None}),
        "open_form": forms.pop("open_form", None)
        or OpenCaseForm(desks=case_queries.desks_of(viewer)),
        "attach_form": forms.pop("attach_form", None) or AttachForm(),
        "decline_form": forms.pop("decline_form", None) or DeclineForm(organisations=organisations),
        "suggestions": queries.attach_suggestions(viewer, story),
        "is_open": help_request.state in HelpRequest.OPEN_STATES,
        "today": timezone.localdate(),
    }
    return render(request, "intake/staff/request.html", context, status=400 if invalid else 200)


@staff_view(Perm.REQUESTS_SCREEN)
@require_safe
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    """Open one request: decrypted here, in the console, and audited."""
    return _detail(request, _request_or_404(request, request_id))


@staff_view(Perm.REQUESTS_SCREEN)
@require_safe
def request_file(request: HttpRequest, request_id: str, item_id: uuid.UUID) -> HttpResponse:
    help_request = _request_or_404(request, request_id)
    try:
        upload = screening.request_file(
            request=help_request, item_id=item_id, actor=staff_user(request)
        )
    except IntakeError:
        raise Http404 from None
    response = HttpResponse(upload.data, content_type=upload.content_type)
    response["Content-Disposition"] = f'attachment; filename="{upload.name}"'
    return response


def _act(
    request: HttpRequest,
    help_request: HelpRequest,
    form_name: str,
    form: Any,
    action: Any,
    done: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except IntakeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            if isinstance(result, HttpResponse):
                return result
            return redirect("screening:request", request_id=help_request.pk)
    return _detail(request, help_request, **{form_name: form})


@staff_view(Perm.REQUESTS_SCREEN)
@require_POST
def reply(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = _request_or_404(request, request_id)
    return _act(
        request,
        help_request,
        "reply_form",
        ReplyForm(request.POST),
        lambda data: screening.request_reply(
            request=help_request,
            actor=staff_user(request),
            body=data["body"],
            template=data["template"] if data["template"] in replies.TEMPLATES else "",
            status=data["status"],
        ),
        _("Reply sent to the mailbox."),
    )


@staff_view(Perm.REQUESTS_SCREEN)
@require_POST
def triage(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = _request_or_404(request, request_id)
    return _act(
        request,
        help_request,
        "triage_form",
        TriageForm(request.POST),
        lambda data: screening.request_triage(
            request=help_request, actor=staff_user(request), level=data["level"]
        ),
        _("Level set."),
    )


@staff_view(Perm.REQUESTS_SCREEN)
@require_POST
def open_case(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = _request_or_404(request, request_id)
    viewer = staff_user(request)

    def action(data: dict[str, Any]) -> HttpResponse:
        case = screening.request_open_case(request=help_request, actor=viewer, desk=data["desk"])
        return redirect("cases:case", case_id=case.pk)

    return _act(
        request,
        help_request,
        "open_form",
        OpenCaseForm(request.POST, desks=case_queries.desks_of(viewer)),
        action,
        _("Case opened from the request."),
    )


@staff_view(Perm.REQUESTS_SCREEN)
@require_POST
def attach(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = _request_or_404(request, request_id)
    viewer = staff_user(request)

    def action(data: dict[str, Any]) -> HttpResponse:
        case = case_queries.case_by_reference_any(data["reference"])
        view = case_queries.case_for(viewer, case.pk) if case is not None else None
        if view is None or not view.works:
            raise IntakeError(_("No case of your desks has this reference."))
        screening.request_attach(request=help_request, case=view.case, actor=viewer)
        return redirect("cases:case", case_id=view.case.pk)

    return _act(
        request, help_request, "attach_form", AttachForm(request.POST), action, _("Attached.")
    )


@staff_view(Perm.REQUESTS_SCREEN)
@require_POST
def decline(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = _request_or_404(request, request_id)
    organisations = queries.referral_directory()
    form = DeclineForm(request.POST, organisations=organisations)
    return _act(
        request,
        help_request,
        "decline_form",
        form,
        lambda data: screening.request_decline(
            request=help_request,
            actor=staff_user(request),
            reason=data["reason"],
            organisations=queries.referrals_by_ids(data["organisations"]),
        ),
        _("Declined; the person was sent the referrals."),
    )


@staff_view(Perm.REQUESTS_SCREEN)
@require_POST
def mark_spam(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = _request_or_404(request, request_id)
    hostile = request.POST.get("as") == "hostile"
    screening.requests_mark_spam(
        requests=[help_request], actor=staff_user(request), hostile=hostile
    )
    messages.success(request, _("Marked as hostile.") if hostile else _("Marked as spam."))
    return redirect("screening:inbox")


# --- Referral directory ---------------------------------------------------------------------


@staff_view(Perm.REFERRALS_MANAGE)
@require_safe
def directory_list(request: HttpRequest) -> HttpResponse:
    rows = queries.referral_directory(country=request.GET.get("country", "")[:2], active_only=False)
    today = timezone.localdate()
    context = {"rows": rows, "stale": [row.pk for row in rows if row.is_stale(today)]}
    return render(request, "intake/staff/directory.html", context)


@staff_view(Perm.REFERRALS_MANAGE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def directory_edit(request: HttpRequest, organisation_id: str | None = None) -> HttpResponse:
    organisation = None
    if organisation_id is not None:
        organisation = queries.referral_for(organisation_id)
        if organisation is None:
            raise Http404
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                directory.referral_save(
                    actor=staff_user(request),
                    organisation=organisation,
                    country=data["country"],
                    kinds=data["kinds"],
                    name=data["name"],
                    contact=data["contact"],
                    notes=data["notes"],
                    last_checked=data["last_checked"],
                    is_active=data["is_active"],
                )
            except IntakeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("screening:directory")
        return render(
            request,
            "intake/staff/directory_form.html",
            {"form": form, "organisation": organisation},
            status=400,
        )
    initial = {"last_checked": timezone.localdate(), "is_active": True}
    if organisation is not None:
        initial = {
            "country": organisation.country,
            "kinds": organisation.kinds,
            "name": organisation.name,
            "contact": organisation.contact,
            "notes": (organisation.details or {}).get("notes", ""),
            "last_checked": organisation.last_checked,
            "is_active": organisation.is_active,
        }
    form = ReferralForm(initial=initial)
    return render(
        request, "intake/staff/directory_form.html", {"form": form, "organisation": organisation}
    )


@staff_view(Perm.REFERRALS_MANAGE)
@require_POST
def directory_checked(request: HttpRequest, organisation_id: str) -> HttpResponse:
    organisation = queries.referral_for(organisation_id)
    if organisation is None:
        raise Http404
    directory.referral_mark_checked(actor=staff_user(request), organisation=organisation)
    messages.success(request, _("Marked as checked today."))
    return redirect("screening:directory")
