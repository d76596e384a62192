"""The mailbox's check-in pages: checking in with a word, choosing the two words.

``checkin`` answers every well-formed word (the check-in word, the duress word, a wrong word)
with the same page, status, headers and cookie, after the same single service call: what the
word meant is decided later on the console side (docs/safety.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from passage.intake import sessions
from passage.intake.exceptions import IntakeError, SignInRefused
from passage.intake.forms.checkins import CheckinForm, WordsForm
from passage.intake.services import checkins as services
from passage.intake.views.public import _context, _resume, public_page


def _form_page(
    request: HttpRequest,
    lang: str,
    template: str,
    *,
    session: sessions.MailboxSession | None,
    **extra: object,
) -> HttpResponse:
    response = render(request, template, _context(request, lang, **extra), status=400)
    if session is not None:
        sessions.set_cookie(response, session)
    return response


@public_page
@require_POST
def checkin(request: HttpRequest, lang: str) -> HttpResponse:
    form = CheckinForm(request.POST)
    session, sign_in, problem = _resume(request)
    if session is None or not form.is_valid():
        return _form_page(
            request,
            lang,
            "intake/public/checkin.html",
            session=session,
            form=form,
            sign_in=sign_in,
            problem=problem,
        )
    try:
        services.checkin_submit(session=session, word=form.cleaned_data["word"])
    except SignInRefused:
        sessions.end(session.token)
        response = render(request, "intake/public/signed_out.html", _context(request, lang))
        sessions.clear_cookie(response)
        return response
    except IntakeError as exc:
        form.add_error("word", str(exc))
        return _form_page(
            request, lang, "intake/public/checkin.html", session=session, form=form, sign_in=None
        )
    response = render(request, "intake/public/checkin_done.html", _context(request, lang))
    sessions.set_cookie(response, session)
    return response


@public_page
@require_POST
def words(request: HttpRequest, lang: str) -> HttpResponse:
    form = WordsForm(request.POST)
    session, sign_in, problem = _resume(request)
    if session is None or not form.is_valid():
        return _form_page(
            request,
            lang,
            "intake/public/words.html",
            session=session,
            form=form,
            sign_in=sign_in,
            problem=problem,
        )
    data = form.cleaned_data
    try:
        services.words_set(
            session=session, checkin_word=data["checkin_word"], duress_word=data["duress_word"]
        )
    except SignInRefused:
        sessions.end(session.token)
        response = render(request, "intake/public/signed_out.html", _context(request, lang))
        sessions.clear_cookie(response)
        return response
    except IntakeError as exc:
        form.add_error(None, str(exc))
        return _form_page(
            request, lang, "intake/public/words.html", session=session, form=form, sign_in=None
        )
    response = render(request, "intake/public/words_done.html", _context(request, lang))
    sessions.set_cookie(response, session)
    return response
