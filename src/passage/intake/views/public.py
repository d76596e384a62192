"""Public pages: the help form, the receipt, the mailbox. They work with JavaScript off.

No codename ever travels in a URL or a cookie: it is posted, used, and forgotten. The mailbox
cookie holds a random token whose session lives in the memory store only. Nothing about the
visitor (address, User-Agent, Referer) is stored or logged; the proxy check reads headers and
forgets them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.core.access import public_view
from passage.core.files import UnsafeFile, clean_file
from passage.core.uploads import refusal_messages
from passage.intake import payloads, proxies, sessions
from passage.intake.exceptions import IntakeError, InvalidInput, SignInRefused, TooManyAttempts
from passage.intake.forms.checkins import CheckinForm, WordsForm
from passage.intake.forms.public import FirstStepForm, MessageForm, SignInForm, StoryForm
from passage.intake.services import public as services
from passage.intake.words import public_languages

PublicView = Callable[..., HttpResponse]


def public_page(view: PublicView) -> PublicView:
    """Render in the URL's language (or, at ``/``, the browser's), in the reading direction."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, lang: str | None = None, **kwargs: Any) -> HttpResponse:
        if lang is None:
            lang = translation.get_language_from_request(request)
            if lang not in public_languages():
                lang = "en"
        elif lang not in public_languages():
            raise Http404
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, lang, **kwargs)
        response.headers["Content-Language"] = lang
        response.headers.setdefault("Vary", "Accept-Language")
        return response

    return public_view(wrapper)


@functools.cache
def _blank_story_fields_in(language: str) -> SafeString:
    return render_to_string("intake/public/story_fields_form.html", {"form": StoryForm()})


def blank_story_fields() -> SafeString:
    """The empty second step's fields in the active language, rendered once per language.

    Rendering its ten fields widget by widget was most of the receipt page's CPU, the page
    every help request answers with (bench/intake.py); the fields hold nothing per visitor
    (the CSRF token is outside them).
    """
    return _blank_story_fields_in(translation.get_language() or settings.LANGUAGE_CODE)


def _context(request: HttpRequest, lang: str, **extra: Any) -> dict[str, Any]:
    return {
        "lang": lang,
        "languages": [(code, name) for code, name in settings.LANGUAGES],
        "proxy": proxies.detect(request),
        "welcome": settings.PASSAGE_PUBLIC_WELCOME,
        **extra,
    }


def _uploads(request: HttpRequest) -> tuple[list[payloads.SealedFile], list[str]]:
    """The posted files, checked and stripped of metadata; or the reasons they were refused."""
    uploads = request.FILES.getlist("files")  # parses the body, so refusals are known
    errors = [str(message) for message in refusal_messages(request)]
    files: list[payloads.SealedFile] = []
    for upload in uploads:
        try:
            cleaned = clean_file(name=upload.name or "", data=upload.read())
        except UnsafeFile as exc:
            errors.append(str(exc))
            continue
        files.append(
            payloads.SealedFile(
                name=f"{cleaned.kind}.{cleaned.extension}",
                kind=cleaned.kind,
                content_type=cleaned.content_type,
                data=cleaned.data,
            )
        )
    return files, errors


@public_page
@require_safe
def help_page(request: HttpRequest, lang: str) -> HttpResponse:
    return render(request, "intake/public/help.html", _context(request, lang, form=FirstStepForm()))


# A forged first step gains the forger nothing (the codename is shown only to the browser that
# sent it), and exempting it keeps the help page free of any cookie until the person submits.
@public_page
@csrf_exempt
@require_POST
def request_submit(request: HttpRequest, lang: str) -> HttpResponse:
    form = FirstStepForm(request.POST)
    if not form.is_valid():
        context = _context(request, lang, form=form)
        return render(request, "intake/public/help.html", context, status=400)
    data = form.cleaned_data
    try:
        receipt = services.request_submit(
            country=data["country"], urgency=data["urgency"], language=data["language"]
        )
    except InvalidInput as exc:
        form.add_error(None, str(exc))
        context = _context(request, lang, form=form)
        return render(request, "intake/public/help.html", context, status=400)
    # The codename's words are in the reply language; the page stays in the page's language.
    response = render(
        request,
        "intake/public/receipt.html",
        _context(
            request,
            lang,
            codename=receipt.codename,
            codename_lang=data["language"],
            contact_phrase=receipt.contact_phrase,
            blank_story_fields=blank_story_fields(),
        ),
    )
    sessions.set_cookie(response, receipt.session)
    return response


def _resume(
    request: HttpRequest,
) -> tuple[sessions.MailboxSession | None, SignInForm | None, str]:
    """The mailbox session of a form post; if it ended, the codename posted with the form (the
    page asks for it and keeps what was typed). Returns the session, the sign-in form to show
    while there is none, and the message to show above it."""
    session = sessions.load(request)
    if session is not None:
        return session, None, ""
    # Bound only once the codename was asked for: a form from the mailbox has no such field,
    # and the person should read "your session ended", not "this field is required".
    sign_in = SignInForm(request.POST) if "codename" in request.POST else SignInForm()
    if sign_in.is_bound and sign_in.is_valid():
        try:
            return services.mailbox_sign_in(codename=sign_in.cleaned_data["codename"]), None, ""
        except (SignInRefused, TooManyAttempts) as exc:
            sign_in.add_error("codename", str(exc))
    problem = (
        ""
        if sign_in.errors
        else _("Your session ended. Enter your codename to send what you wrote.")
    )
    return None, sign_in, problem


@public_page
@require_POST
def story_submit(request: HttpRequest, lang: str) -> HttpResponse:
    """The second step, from the receipt page or the mailbox. If the session ended meanwhile,
    the form comes back as typed and asks for the codename with it."""
    form = StoryForm(request.POST)
    files, file_errors = _uploads(request)
    session, sign_in, problem = _resume(request)
    for message in file_errors:
        form.add_error(None, message)
    if session is None or not form.is_valid():
        context = _context(
            request, lang, form=form, sign_in=sign_in, problem=problem, files_lost=bool(files)
        )
        response = render(request, "intake/public/story.html", context, status=400)
        if session is not None:
            sessions.set_cookie(response, session)
        return response
    try:
        services.story_submit(session=session, story=form.story(), files=files)
    except IntakeError as exc:
        form.add_error(None, str(exc))
        context = _context(request, lang, form=form, sign_in=None, files_lost=bool(files))
        return render(request, "intake/public/story.html", context, status=400)
    response = redirect("public:mailbox", lang=lang)
    sessions.set_cookie(response, session)
    return response


def _mailbox_page(
    request: HttpRequest,
    lang: str,
    session: sessions.MailboxSession,
    *,
    message_form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        view = services.mailbox_read(session=session)
    except SignInRefused:
        sessions.end(session.token)
        response = redirect("public:mailbox", lang=lang)
        sessions.clear_cookie(response)
        return response
    context = _context(
        request,
        lang,
        mailbox=view,
        message_form=message_form or MessageForm(),
        story_form=None if view.story_received else StoryForm(),
        blank_story_fields=None if view.story_received else blank_story_fields(),
        sent=request.GET.get("sent") == "1",
        checkin_form=CheckinForm(),
        words_form=WordsForm(),
    )
    return render(request, "intake/public/mailbox.html", context, status=status)


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def mailbox(request: HttpRequest, lang: str) -> HttpResponse:
    """Signed in: the mailbox. Otherwise the sign-in form (posting the codename signs in)."""
    session = sessions.load(request)
    if request.method != "POST":
        if session is not None:
            return _mailbox_page(request, lang, session)
        context = _context(request, lang, form=SignInForm())
        return render(request, "intake/public/sign_in.html", context)
    form = SignInForm(request.POST)
    if form.is_valid():
        try:
            session = services.mailbox_sign_in(codename=form.cleaned_data["codename"])
        except TooManyAttempts as exc:
            form.add_error("codename", str(exc))
            context = _context(request, lang, form=form)
            response = render(request, "intake/public/sign_in.html", context, status=429)
            response["Retry-After"] = "120"
            return response
        except SignInRefused as exc:
            form.add_error("codename", str(exc))
        else:
            response = redirect("public:mailbox", lang=lang)
            sessions.set_cookie(response, session)
            return response
    context = _context(request, lang, form=form)
    return render(request, "intake/public/sign_in.html", context, status=400)


@public_page
@require_POST
def mailbox_message(request: HttpRequest, lang: str) -> HttpResponse:
    form = MessageForm(request.POST)
    files, file_errors = _uploads(request)
    session, sign_in, problem = _resume(request)
    for message in file_errors:
        form.add_error(None, message)
    if session is None:
        context = _context(
            request, lang, form=form, sign_in=sign_in, problem=problem, files_lost=bool(files)
        )
        return render(request, "intake/public/message.html", context, status=400)
    if form.is_valid():
        try:
            services.message_send(session=session, text=form.cleaned_data["text"], files=files)
        except InvalidInput as exc:
            form.add_error("text", str(exc))
        else:
            response = redirect(reverse("public:mailbox", kwargs={"lang": lang}) + "?sent=1")
            sessions.set_cookie(response, session)
            return response
    return _mailbox_page(request, lang, session, message_form=form, status=400)


@public_page
@require_POST
def mailbox_sign_out(request: HttpRequest, lang: str) -> HttpResponse:
    """ "Sign out and forget": the session and its key are gone from the memory store."""
    session = sessions.load(request)
    if session is not None:
        sessions.end(session.token)
    response = render(request, "intake/public/signed_out.html", _context(request, lang))
    sessions.clear_cookie(response)
    return response


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def mailbox_delete(request: HttpRequest, lang: str) -> HttpResponse:
    session = sessions.load(request)
    if session is None:
        return redirect("public:mailbox", lang=lang)
    if request.method != "POST":
        return render(request, "intake/public/delete.html", _context(request, lang))
    services.mailbox_delete(session=session)
    response = render(request, "intake/public/deleted.html", _context(request, lang))
    sessions.clear_cookie(response)
    return response


@public_page
@require_safe
def privacy(request: HttpRequest, lang: str) -> HttpResponse:
    return render(request, "intake/public/privacy.html", _context(request, lang))
