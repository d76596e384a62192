"""Accepting an invitation (password, authenticator, recovery codes) and enrolling an
authenticator after a second-factor reset. Thin: parse, call a service, render.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from passage.accounts import queries, sessions, totp
from passage.accounts.access import pre_auth_view, staff_view
from passage.accounts.forms import NewPasswordForm, TotpConfirmForm
from passage.accounts.models import Invitation, TotpDevice, User
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.accounts.services import invitations, passwords
from passage.accounts.services import second_factor as factors
from passage.accounts.services import sign_in as sign_in_services
from passage.accounts.views.auth import _after_sign_in, _safe_next, _staff, locked_response
from passage.audit import services as audit

# Which invitation this browser is accepting, and its authenticator being enrolled.
INVITATION_PROGRESS = "passage_invitation"


def _not_found(request: HttpRequest) -> HttpResponse:
    """The same page for an unknown, used and expired link: nothing is confirmed."""
    return render(request, "accounts/auth/invitation_invalid.html", status=404)


def _enrolment_context(user: User, device: TotpDevice, form: TotpConfirmForm) -> dict[str, object]:
    secret = str(device.secret)
    return {
        "form": form,
        "qr": totp.qr_svg(totp.provisioning_uri(secret, user.get_username())),
        "secret": totp.grouped(secret),
    }


def _confirm(
    request: HttpRequest, user: User, device: TotpDevice, form: TotpConfirmForm
) -> tuple[list[str] | None, HttpResponse | None]:
    """Check the first code of a new authenticator; failures count towards the lockout."""
    retry = sign_in_services.address_retry_after(request=request)
    if retry is not None:
        return None, locked_response(request, retry)
    if user.is_locked:
        return None, locked_response(request, sign_in_services.LOCK_SECONDS)
    if not form.is_valid():
        return None, None
    codes = factors.totp_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"])
    if codes is not None:
        return codes, None
    form.add_error("code", form.invalid_message)
    failure = sign_in_services.sign_in_failed(
        request=request, username=user.username, user=user, stage="second_factor"
    )
    if failure.locked_for is not None:
        return None, locked_response(request, failure.locked_for)
    return None, None


@sensitive_post_parameters("new_password", "new_password_again", "code")
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
@pre_auth_view
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Step 1: choose a password. Step 2: add the authenticator. Then: the recovery codes."""
    found = invitations.invitation_find(token)
    if found is None:
        return _not_found(request)
    user = found.user
    progress = request.session.get(INVITATION_PROGRESS)
    device = None
    if isinstance(progress, dict) and progress.get("invitation") == str(found.pk):
        # Written by this view a step earlier: the id of the device being enrolled.
        device_id = str(progress.get("device"))
        device = queries.own_pending_totp_device(user, device_id)
    if device is None:
        return _invitation_password(request, found)
    form = TotpConfirmForm(data=request.POST if request.method == "POST" else None)
    if form.is_bound:
        codes, refused = _confirm(request, user, device, form)
        if refused is not None:
            return refused
        if codes is not None:
            return _invitation_finish(request, found, codes)
    context = {**_enrolment_context(user, device, form), "step": 2, "action": request.path}
    status = 400 if form.is_bound else 200
    return render(request, "accounts/auth/enrol.html", context, status=status)


def _invitation_password(request: HttpRequest, found: Invitation) -> HttpResponse:
    user = found.user
    form = NewPasswordForm(user, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        passwords.password_set(
            user=user,
            password=form.cleaned_data["new_password"],
            actor=audit.actor_for("user", user.pk),
        )
        device = factors.totp_enrolment_device(user=user)
        request.session[INVITATION_PROGRESS] = {
            "invitation": str(found.pk),
            "device": str(device.pk),
        }
        return redirect(request.path)  # step 2, on a fresh GET
    context = {"form": form, "username": user.get_username(), "step": 1}
    status = 400 if form.is_bound else 200
    return render(request, "accounts/auth/invitation_password.html", context, status=status)


def _invitation_finish(request: HttpRequest, found: Invitation, codes: list[str]) -> HttpResponse:
    user = invitations.invitation_complete(invitation=found)
    if request.user.is_authenticated:
        # Someone else was signed in in this browser (an admin trying the link): they go first.
        sign_in_services.user_sign_out(request=request)
    request.session.pop(INVITATION_PROGRESS, None)
    sign_in_services.user_sign_in(request=request, user=user)
    sign_in_services.second_factor_passed(request=request, user=user, method="enrolled")
    return render(request, "accounts/auth/recovery_codes.html", {"codes": codes})


@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
@pre_auth_view
def enrol(request: HttpRequest) -> HttpResponse:
    """A signed-in user without a second factor (e.g. after a reset) adds an authenticator.

    Until they do, this is the only page they can reach (every staff view sends them to the
    second-factor page, which sends them here).
    """
    user = request.user
    if not isinstance(user, User):
        return redirect("staff:sign-in")
    if factors.has_second_factor(user):
        return redirect("staff:second-factor")
    device = factors.totp_enrolment_device(user=user)
    form = TotpConfirmForm(data=request.POST if request.method == "POST" else None)
    if form.is_bound:
        codes, refused = _confirm(request, user, device, form)
        if refused is not None:
            sign_in_services.user_sign_out(request=request)
            return refused
        if codes is not None:
            sign_in_services.second_factor_passed(request=request, user=user, method="enrolled")
            shown = {"codes": codes, "next": _after_sign_in(request)}
            return render(request, "accounts/auth/recovery_codes.html", shown)
    context: dict[str, object] = {
        **_enrolment_context(user, device, form),
        "action": request.path,
        "next": _safe_next(request) or "",
    }
    status = 400 if form.is_bound else 200
    return render(request, "accounts/auth/enrol.html", context, status=status)


# --- Security keys (WebAuthn) ------------------------------------------------------------------
# The browser side is core/static/passage/webauthn.js (ours, no inline script). Without
# JavaScript the key buttons stay hidden and TOTP or a recovery code is used instead.

CHALLENGE = "passage_webauthn_challenge"


def _relying_party(request: HttpRequest) -> factors.RelyingParty:
    host = request.get_host()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return factors.RelyingParty(rp_id=name.strip("[]"), origin=f"{request.scheme}://{host}")


def _take_challenge(request: HttpRequest) -> bytes | None:
    stored = request.session.pop(CHALLENGE, None)
    return base64url_to_bytes(stored) if isinstance(stored, str) and stored else None


def _options(request: HttpRequest, options: str, challenge: bytes) -> HttpResponse:
    request.session[CHALLENGE] = bytes_to_base64url(challenge)
    return HttpResponse(options, content_type="application/json")


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_http_methods(["GET", "HEAD"])
@never_cache
@staff_view(Perm.CONSOLE, step_up=STEP_UP_SECONDS)
def security_keys(request: HttpRequest) -> HttpResponse:
    """The user's security keys: add one (JavaScript needed), remove one."""
    user = _staff(request)
    keys = queries.own_security_keys(user)
    context = {"keys": keys, "required": factors.security_key_required(user)}
    return render(request, "accounts/auth/security_keys.html", context)


@require_POST
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE, step_up=STEP_UP_SECONDS)
def security_key_begin(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    options, challenge = factors.security_key_registration_options(
        user=user, rp=_relying_party(request)
    )
    return _options(request, options, challenge)


@require_POST
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE, step_up=STEP_UP_SECONDS)
def security_key_finish(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    challenge = _take_challenge(request)
    credential = str(request.POST.get("credential", ""))[:20000]
    label = str(request.POST.get("label", "")).strip()[:60]
    if challenge is None or not credential:
        return _json_error(_("Start again: press the button and then touch your key."))
    key = factors.security_key_register(
        user=user,
        credential=credential,
        challenge=challenge,
        rp=_relying_party(request),
        label=label or _("Security key"),
    )
    if key is None:
        return _json_error(_("That key could not be added. Try again, or try another key."))
    messages.success(request, _("The security key is added."))
    return JsonResponse({"redirect": reverse("staff:security-keys")})


@require_POST
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE, step_up=STEP_UP_SECONDS)
def security_key_remove(request: HttpRequest, key_id: uuid.UUID) -> HttpResponse:
    user = _staff(request)
    key = queries.own_security_key(user, key_id)
    if key is None:
        raise Http404
    factors.security_key_remove(user=user, key=key)
    messages.success(request, _("The security key is removed."))
    return redirect("staff:security-keys")


@require_POST
@csrf_protect
@never_cache
@pre_auth_view
def security_key_sign_in_begin(request: HttpRequest) -> HttpResponse:
    """Options for using a key as the second factor (signing in or step-up)."""
    user = request.user
    if not isinstance(user, User) or not queries.has_security_key(user):
        return _json_error(_("Sign in with your passphrase first."), status=403)
    options, challenge = factors.security_key_authentication_options(
        user=user, rp=_relying_party(request)
    )
    return _options(request, options, challenge)


@require_POST
@csrf_protect
@never_cache
@pre_auth_view
def security_key_sign_in_finish(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return _json_error(_("Sign in with your passphrase first."), status=403)
    retry = sign_in_services.address_retry_after(request=request)
    if retry is not None or user.is_locked:
        sign_in_services.user_sign_out(request=request)
        return JsonResponse({"redirect": reverse("staff:sign-in")})
    challenge = _take_challenge(request)
    credential = str(request.POST.get("credential", ""))[:20000]
    rp = _relying_party(request)
    if challenge is not None and factors.security_key_verify(
        user=user, credential=credential, challenge=challenge, rp=rp
    ):
        step_up = sessions.second_factor_done(request)
        method = "stepped_up" if step_up else "passed"
        sign_in_services.second_factor_passed(request=request, user=user, method=method)
        return JsonResponse({"redirect": _after_sign_in(request)})
    failure = sign_in_services.sign_in_failed(
        request=request, username=user.username, user=user, stage="second_factor"
    )
    if failure.locked_for is not None:
        sign_in_services.user_sign_out(request=request)
        return JsonResponse({"redirect": reverse("staff:sign-in")})
    return _json_error(_("That key was not accepted. Try again, or use a code instead."))
