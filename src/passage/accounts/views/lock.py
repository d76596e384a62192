"""The lock screen of an idle staff page (core/static/passage/session-timeout.js).

When the idle timeout strikes, the page asks ``lock``: the session ends on the server there and
then (every other request goes to sign-in until the person signs in again), and the page hides
what it showed. ``unlock`` signs the same person in again from that screen: username (from the
page), passphrase AND a second-factor code in one post, through the very services of the
sign-in pages (address slowing, account lockout, audit). Either factor alone signs nobody in.
Security keys are not offered on the lock screen: it links to the full sign-in page instead.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from passage.accounts import queries, sessions
from passage.accounts.access import pre_auth_view, staff_view
from passage.accounts.forms import SecondFactorForm, SignInForm
from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.accounts.services import second_factor as factors
from passage.accounts.services import sessions as session_services
from passage.accounts.services import sign_in as services
from passage.audit import services as audit


@require_POST
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE)
def lock(request: HttpRequest) -> HttpResponse:
    """End this session now (audited ``account.session_locked``): the page shows its lock."""
    user = request.user
    row = session_services.current_staff_session(request)
    if row is not None and isinstance(user, User):
        session_services.session_end(
            staff_session=row,
            actor=audit.actor_for("user", user.pk),
            action="account.session_locked",
        )
    logout(request)
    return HttpResponse(status=204)


def _refused(message: str, status: int, retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse({"ok": False, "message": message}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _locked(retry_after: int) -> JsonResponse:
    minutes = max(1, (retry_after + 59) // 60)
    return _refused(
        _(
            "Too many failed attempts. This account, if it exists, or this address is "
            "temporarily locked. Try again in %(minutes)d minutes."
        )
        % {"minutes": minutes},
        429,
        retry_after,
    )


@sensitive_post_parameters("password", "code")
@require_POST
@csrf_protect
@never_cache
@pre_auth_view
def unlock(request: HttpRequest) -> HttpResponse:
    """Sign in again from the lock screen: passphrase and second factor, both, in one post."""
    if request.user.is_authenticated:
        if sessions.second_factor_done(request):
            # Another tab of this browser unlocked already.
            return JsonResponse({"ok": True, "csrf": get_token(request)})
        services.user_sign_out(request=request)  # half signed in: start afresh
    retry = services.address_retry_after(request=request)
    if retry is not None:
        return _locked(retry)
    username = str(request.POST.get("username", "")).strip()[:64]
    locked_for = services.username_locked_for(username=username) if username else None
    if locked_for is not None:
        return _locked(locked_for)
    password_form = SignInForm(request, data=request.POST)
    code_form = SecondFactorForm(data=request.POST)
    if not password_form.is_valid() or password_form.user is None:
        if password_form.has_error("__all__", "invalid_login"):
            failure = services.sign_in_failed(
                request=request, username=username, user=queries.user_by_username(username)
            )
            if failure.locked_for is not None:
                return _locked(failure.locked_for)
            return _refused(str(SignInForm.invalid_message), 400)
        return _refused(_("Enter your passphrase and the code from your authenticator app."), 400)
    user = password_form.user
    if not factors.has_second_factor(user):
        return _refused(_("Sign in on the sign-in page to set up your second factor."), 400)
    if not code_form.is_valid():
        return _refused(_("Enter the code from your authenticator app."), 400)
    method = factors.second_factor_verify(user=user, code=code_form.cleaned_data["code"])
    if method is None:
        failure = services.sign_in_failed(
            request=request, username=user.username, user=user, stage="second_factor"
        )
        if failure.locked_for is not None:
            return _locked(failure.locked_for)
        return _refused(str(SecondFactorForm.invalid_message), 400)
    services.user_sign_in(request=request, user=user)
    services.second_factor_passed(request=request, user=user, method="passed")
    # Signing in gave the session a new CSRF token: the locked page needs it to send drafts it
    # could not save before (same-origin fetch only; no CORS).
    return JsonResponse({"ok": True, "csrf": get_token(request)})
