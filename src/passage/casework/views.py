"""The Contacts, Notes and Tasks tabs of a case. Thin: parse, call a service, render.

Each tab decrypts, so each view of it is recorded (``case.section_viewed.<tab>``). Reading needs
the case (desk, assignee or break-glass); writing needs to work it (desk or assignee) and the
services check that again.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.casefiles.forms import CaseFileUploadForm
from passage.cases import queries as case_queries
from passage.cases.exceptions import CaseError
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    record_read,
    refused,
    render_case,
    request_id,
    run,
    status_of,
    viewer,
)
from passage.casework import queries
from passage.casework.forms import ContactForm, NoteForm, TaskForm
from passage.casework.services import contacts, notes, tasks


def _writing(request: HttpRequest, view: CaseView) -> bool:
    """Whether this is a POST, refusing (404) one by someone who does not work the case."""
    if request.method != "POST":
        return False
    if not (view.works and viewer(request).may(Perm.CASES_WORK)):
        raise Http404
    return True


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def contact_log(request: HttpRequest, case_id: str) -> HttpResponse:
    """The contact log (logged contacts and the mailbox) and the form to log one."""
    view = case_view(request, case_id)
    writing = _writing(request, view)
    data = request.POST if writing else None
    form = ContactForm(data, initial={"channel": queries.last_channel(view)})
    attachment = (
        CaseFileUploadForm.for_request(request, prefix="attachment", required=False)
        if writing
        else CaseFileUploadForm(prefix="attachment", required=False)
    )
    # Both forms are checked (so both show their errors) before anything is written.
    attachment_valid = not writing or attachment.is_valid()
    done = (
        run(
            request,
            form,
            lambda: contacts.contact_log(
                case=view.case,
                actor=viewer(request),
                channel=form.cleaned_data["channel"],
                direction=form.cleaned_data["direction"],
                summary=form.cleaned_data["summary"],
                with_whom=form.cleaned_data["with_whom"],
                happened_at=form.cleaned_data["happened_at"],
                next_contact_due=form.cleaned_data["next_contact_due"],
                attachments=[f for f in [attachment.cleaned_data["file"]] if f is not None],
                attachment_description=attachment.cleaned_data["description"],
                request_id=request_id(request),
            ),
            success=_("Contact logged."),
            then=reverse("casework:contacts", args=[view.case.pk]),
        )
        if attachment_valid
        else None
    )
    if done:
        return done
    record_read(request, view, "contacts")
    context = {"form": form, "attachment": attachment, "rows": queries.contacts_of(view)}
    return render_case(
        request,
        "casework/contacts.html",
        view,
        tab="contacts",
        context=context,
        status=status_of(form),
        recorded=True,
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def note_list(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id)
    data = request.POST if _writing(request, view) else None
    form = NoteForm(data)
    done = run(
        request,
        form,
        lambda: notes.note_add(
            case=view.case,
            actor=viewer(request),
            body=form.cleaned_data["body"],
            restricted=form.cleaned_data["restricted"],
            request_id=request_id(request),
        ),
        success=_("Note added."),
        then=reverse("casework:notes", args=[view.case.pk]),
    )
    if done:
        return done
    record_read(request, view, "notes")
    context = {"form": form, "notes": queries.notes_of(view), "me": viewer(request)}
    return render_case(
        request,
        "casework/notes.html",
        view,
        tab="notes",
        context=context,
        status=status_of(form),
        recorded=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def note_edit(request: HttpRequest, case_id: str, note_id: str) -> HttpResponse:
    """Change a note: its author only (anyone else: 404)."""
    view = case_view(request, case_id, working=True)
    note = queries.note_of(view, note_id)
    if note is None or note.author_id != viewer(request).pk:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = NoteForm(data, initial={"body": note.body or "", "restricted": note.restricted})
    done = run(
        request,
        form,
        lambda: notes.note_edit(
            note=note,
            actor=viewer(request),
            body=form.cleaned_data["body"],
            restricted=form.cleaned_data["restricted"],
            request_id=request_id(request),
        ),
        success=_("Note saved."),
        then=reverse("casework:notes", args=[view.case.pk]),
    )
    if done:
        return done
    if data is None:
        record_read(request, view, "notes")
    return render_case(
        request,
        "casework/note_form.html",
        view,
        tab="notes",
        context={"form": form, "note": note},
        status=status_of(form),
        recorded=data is None,
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def task_list(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id)
    data = request.POST if _writing(request, view) else None
    users = case_queries.assignable_users([view.case.desk_id])
    form = TaskForm(data, users=users)
    done = run(
        request,
        form,
        lambda: tasks.task_add(
            case=view.case,
            actor=viewer(request),
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            assignee=form.cleaned_data["assignee"],
            request_id=request_id(request),
        ),
        success=_("Task added."),
        then=reverse("casework:tasks", args=[view.case.pk]),
    )
    if done:
        return done
    record_read(request, view, "tasks")
    context = {"form": form, "tasks": queries.tasks_of(view), "today": timezone.localdate()}
    return render_case(
        request,
        "casework/tasks.html",
        view,
        tab="tasks",
        context=context,
        status=status_of(form),
        recorded=True,
    )


def _task_status(request: HttpRequest, case_id: str, task_id: str, *, done: bool) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    task = queries.task_of(view, task_id)
    if task is None:
        raise Http404
    action = tasks.task_complete if done else tasks.task_reopen
    try:
        action(task=task, actor=viewer(request), request_id=request_id(request))
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Task done.") if done else _("Task reopened."))
    return redirect("casework:tasks", case_id=view.case.pk)


@staff_view(Perm.CASES_WORK)
@require_POST
def task_complete(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    return _task_status(request, case_id, task_id, done=True)


@staff_view(Perm.CASES_WORK)
@require_POST
def task_reopen(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    return _task_status(request, case_id, task_id, done=False)
