"""What the case views share: the viewer, the case (or a 404), audited section reads, rendering
with the case header, and turning service refusals into form errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.alerts import services as alert_services
from passage.audit import services as audit
from passage.cases import queries
from passage.cases.exceptions import CaseError, CaseNotFound
from passage.cases.models import Case
from passage.cases.queries import CaseView

GET_POST = ["GET", "HEAD", "POST"]

TABS: tuple[tuple[str, str, Promise], ...] = (
    ("summary", "cases:case", _("Summary")),
    ("person", "cases:case-person", _("Person")),
    ("details", "casefields:case-details", _("More details")),
    ("triage", "cases:case-triage", _("Triage")),
    ("verification", "cases:case-verification", _("Verification")),
    ("approvals", "cases:case-approvals", _("Approvals")),
    ("consent", "cases:case-consent", _("Consent and sharing")),
    ("contacts", "casework:contacts", _("Contacts")),
    ("notes", "casework:notes", _("Notes")),
    ("tasks", "casework:tasks", _("Tasks")),
    ("pathways", "pathways:case", _("Pathways")),
    ("timeline", "cases:case-timeline", _("Timeline")),
    ("travel", "routes:travel", _("Travel")),
    ("files", "casefiles:files", _("Files")),
    ("safehouse", "safehouses:case", _("Safe house")),
    ("budget", "funds:budget", _("Budget")),
    ("letters", "dossiers:letters", _("Letters")),
    ("evidence", "evidence:case", _("Testimony")),
    ("documents", "documents:documents", _("Documents")),
    ("safety", "safety:case", _("Safety")),
    ("settlement", "settlement:case", _("Settlement")),
)


def viewer(request: HttpRequest) -> User:
    """The signed-in user (``staff_view`` lets only them through)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def request_id(request: HttpRequest) -> str | None:
    return audit.request_id_from(request)


def case_view(request: HttpRequest, case_id: object, *, working: bool = False) -> CaseView:
    """The case if the viewer may see it (and work it, with ``working``), else 404."""
    view = queries.case_for(viewer(request), case_id)
    if view is None or view.interprets or (working and not view.works):
        raise Http404  # interpreters see only the interpreter pages (passage.interpreting)
    return view


# Which cases' protected sections, and which cases' chosen names, this sign-in revealed (kept in
# the server-side session, which sign-out and a new sign-in replace): one audit entry per case
# per sign-in for each, not one per click. Bounded: past the limit, reads are audited again.
REVEALED_SECTIONS = "passage.revealed_sections"
REVEALED_NAMES = "passage.revealed_names"
REVEALED_MAX = 2000


def _revealed(request: HttpRequest, key: str) -> list[str]:
    found = request.session.get(key)
    return list(found) if isinstance(found, list) else []


def _remember(request: HttpRequest, key: str, seen: list[str], added: list[str]) -> None:
    if added and len(seen) + len(added) <= REVEALED_MAX:
        request.session[key] = [*seen, *added]


def record_read(request: HttpRequest, view: CaseView, section: str) -> None:
    """Write the audit entry for revealing a case's protected sections (and judge the reading).

    For a case the viewer works (desk or assignee) once per sign-in: the first section revealed
    is recorded, later ones in the same sign-in are not. Break-glass and any other access is
    recorded at every view.
    """
    case = view.case
    seen = _revealed(request, REVEALED_SECTIONS) if view.works else []
    if view.works and str(case.pk) in seen:
        return
    alert_services.protected_read(
        user=viewer(request),
        case_id=case.pk,
        desk_id=case.desk_id,
        section=section,
        assignee_id=case.assignee_id,
        request_id=request_id(request),
    )
    if view.works:
        _remember(request, REVEALED_SECTIONS, seen, [str(case.pk)])


def _record_batch(request: HttpRequest, cases: list[Case], key: str, section: str) -> None:
    """One audited read of ``section`` for each of ``cases`` not revealed (``key``) in this
    sign-in yet, written in one batch. Only for cases the viewer works."""
    seen = _revealed(request, key)
    known = set(seen)
    new = list({c.pk: c for c in cases if str(c.pk) not in known}.values())
    if new:
        alert_services.protected_reads(
            user=viewer(request),
            cases=[alert_services.CaseFacts(c.pk, c.desk_id, c.assignee_id) for c in new],
            section=section,
            request_id=request_id(request),
        )
        _remember(request, key, seen, [str(c.pk) for c in new])


def reveal_names(request: HttpRequest, cases: list[Case]) -> dict[uuid.UUID, str]:
    """The chosen names to show beside the references of ``cases`` (those the viewer works),
    with one audited read (``case.section_viewed.name``) per case per sign-in."""
    names = queries.chosen_names(viewer(request), cases)
    if names:
        _record_batch(request, [c for c in cases if c.pk in names], REVEALED_NAMES, "name")
    return names


def record_reads(request: HttpRequest, cases: list[Case], section: str) -> None:
    """``record_read`` for several cases the viewer works at once (a list across cases, e.g. my
    tasks): one entry per case per sign-in, in one batch."""
    _record_batch(request, cases, REVEALED_SECTIONS, section)


def render_case(
    request: HttpRequest,
    template: str,
    view: CaseView,
    *,
    tab: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
    recorded: bool = False,
) -> HttpResponse:
    """Render a case page: the header (reference, stage, priority, desk, assignee, banners) and
    the tabs around ``template``'s content. Never for a case seen as its interpreter: the
    interpreter pages render on their own, without the case's tabs."""
    if view.interprets:
        raise Http404
    full = {
        "view": view,
        "case": view.case,
        "tab": tab,
        "tabs": [(key, reverse(name, args=[view.case.pk]), label) for key, name, label in TABS],
        "recorded": recorded,
        # Whether to offer the buttons that change the case (their views need CASES_WORK).
        "may_work": view.works and viewer(request).may(Perm.CASES_WORK),
        # The person's chosen name in the header, on cases the viewer works (never break-glass).
        "chosen_name": reveal_names(request, [view.case]).get(view.case.pk, "")
        if view.works
        else "",
        **(context or {}),
    }
    return render(request, template, full, status=status)


def refused(form: forms.Form | None, exc: CaseError) -> None:
    """Show a service's refusal at the top of the form (404 for an unknown case)."""
    if isinstance(exc, CaseNotFound):
        raise Http404 from None
    if form is not None:
        form.add_error(None, str(exc))


def run(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[], Any],
    *,
    success: str,
    then: str,
) -> HttpResponse | None:
    """Call ``action`` if the bound form is valid; on success flash and redirect to ``then``.

    Returns None when the form must be shown again (invalid, or refused by the service).
    """
    if not form.is_bound or not form.is_valid():
        return None
    try:
        action()
    except CaseError as exc:
        refused(form, exc)
        return None
    messages.success(request, success)
    return redirect(then)


def status_of(form: forms.Form) -> int:
    return 400 if form.is_bound else 200


def confirm(
    request: HttpRequest,
    view: CaseView,
    *,
    action: Callable[[], Any],
    title: str,
    body: list[str],
    button: str,
    back: str,
    tab: str,
    success: str | Callable[[Any], str],
) -> HttpResponse:
    """A page that says what will happen (GET) and does it on one click (POST): ``action``'s
    refusal is shown at the top; on success flash ``success`` and go ``back``."""
    error = ""
    if request.method == "POST":
        try:
            result = action()
        except CaseError as exc:
            refused(None, exc)
            error = str(exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(back)
    context = {"title": title, "body": body, "button": button, "back": back, "error": error}
    return render_case(
        request, "cases/confirm.html", view, tab=tab, context=context, status=400 if error else 200
    )
