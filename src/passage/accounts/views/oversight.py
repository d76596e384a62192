"""The auditor's page: the audit log filtered by actor, object and action, and chain verification.

Looking at the log is itself audited (``audit.log_viewed``), and so is each verification run.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts import queries
from passage.accounts.access import staff_view
from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.accounts.services import reads
from passage.audit import chain, verify
from passage.audit import queries as audit_queries
from passage.audit import services as audit
from passage.audit.exceptions import MalformedAnchor
from passage.audit.models import AuditEntry

PAGE_SIZE = 50
_ACTION_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\.?")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Who"),
        required=False,
        max_length=64,
        help_text=_("A username, or system, cli or public."),
    )
    object_id = forms.CharField(
        label=_("Case or object id"),
        required=False,
        max_length=chain.MAX_OBJECT_ID,
        help_text=_("The id as shown in the log, e.g. a case's id."),
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=chain.MAX_ACTION,
        help_text=_("A code or the start of one, e.g. case.section_viewed or alert."),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        label=_("Until (inclusive)"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def clean_actor(self) -> str:
        value: str = self.cleaned_data["actor"].strip()
        if not value or value in chain.BARE_ACTORS:
            return value
        user = queries.user_by_username(value)
        if user is None:
            raise forms.ValidationError(_("No user has this username."))
        return audit.actor_for("user", user.pk)

    def clean_object_id(self) -> str:
        value: str = self.cleaned_data["object_id"].strip()
        if value and not chain.OBJECT_ID_RE.fullmatch(value):
            raise forms.ValidationError(_("Ids have only letters, digits and . _ : -"))
        return value

    def clean_action(self) -> str:
        value: str = self.cleaned_data["action"].strip().lower()
        if value and not _ACTION_RE.fullmatch(value):
            raise forms.ValidationError(
                _("Actions are lower-case dotted codes, e.g. alert.raised.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


class VerifyForm(forms.Form):
    anchor = forms.CharField(
        label=_("Anchor line (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "Paste a line printed by 'passage audit anchor' to check the log still extends it."
        ),
    )

    def clean_anchor(self) -> chain.Anchor | None:
        value: str = self.cleaned_data["anchor"].strip()
        if not value:
            return None
        try:
            return chain.parse_anchor(value)
        except MalformedAnchor:
            raise forms.ValidationError(
                _("This is not an anchor line (passage-audit-anchor v1 seq=... hash=...).")
            ) from None


def _staff(request: HttpRequest) -> User:
    """The signed-in user (``staff_view`` let only them through)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _usernames(entries: list[AuditEntry]) -> dict[str, str]:
    """``user:<uuid>`` -> username, for the actors on this page."""
    ids = set()
    for entry in entries:
        kind, _sep, ident = entry.actor.partition(":")
        if kind == "user":
            try:
                ids.add(uuid.UUID(ident))
            except ValueError:
                continue
    names = queries.usernames_by_id(ids)
    return {audit.actor_for("user", pk): username for pk, username in names.items()}


def _render(
    request: HttpRequest,
    *,
    filters: AuditFilterForm,
    verify_form: VerifyForm,
    report: verify.Report | None = None,
    status: int = 200,
) -> HttpResponse:
    page = None
    rows: list[dict[str, object]] = []
    if filters.is_valid():
        data = filters.cleaned_data
        found = audit_queries.entries_filtered(
            actor=data["actor"] or None,
            object_id=data["object_id"] or None,
            action_prefix=data["action"] or None,
            since=_day_start(data["since"]) if data["since"] else None,
            before=_day_start(data["until"] + dt.timedelta(days=1)) if data["until"] else None,
        )
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        entries = list(page.object_list)
        names = _usernames(entries)
        rows = [{"entry": entry, "actor_name": names.get(entry.actor, "")} for entry in entries]
    else:
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "verify_form": verify_form,
        "page": page,
        "rows": rows,
        "report": report,
        "head": audit_queries.chain_head(),
        "query": query.urlencode(),
    }
    return render(request, "accounts/oversight/audit_log.html", context, status=status)


@staff_view(Perm.AUDIT_READ)
@require_http_methods(["GET", "HEAD"])
@never_cache
def audit_log(request: HttpRequest) -> HttpResponse:
    reads.audit_log_viewed(user=_staff(request), request_id=audit.request_id_from(request))
    # Always bound (every filter is optional), so no filter at all shows the whole log.
    return _render(request, filters=AuditFilterForm(request.GET), verify_form=VerifyForm())


@staff_view(Perm.AUDIT_READ)
@require_POST
@never_cache
def audit_verify(request: HttpRequest) -> HttpResponse:
    verify_form = VerifyForm(request.POST)
    filters = AuditFilterForm({})
    if not verify_form.is_valid():
        return _render(request, filters=filters, verify_form=verify_form, status=400)
    report = verify.verify_log(anchor=verify_form.cleaned_data["anchor"])
    reads.audit_chain_verified(
        user=_staff(request),
        ok=report.ok,
        request_id=audit.request_id_from(request),
    )
    return _render(request, filters=filters, verify_form=verify_form, report=report)
