"""Admin pages of the staff console: users, roles, desks, partner organisations, sessions and
second-factor resets. Thin: parse, call ``services.admin`` or ``queries``, render.

Lists are plain GETs. Every page that changes something is a GET confirmation or form plus
its POST, both behind step-up (``STEP_UP_SECONDS``): the admin confirms their second factor
before filling the form, so nothing typed is lost to a step-up redirect, and the step-up page
can send them back to a page that answers GET.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts import queries
from passage.accounts.access import staff_view
from passage.accounts.exceptions import AccountError
from passage.accounts.forms_admin import AccessFields as UserAccessForm
from passage.accounts.forms_admin import DeskForm, PartnerForm, UserFilterForm, UserInviteForm
from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import STEP_UP_SECONDS, Perm, Role
from passage.accounts.services import admin as services
from passage.accounts.services import sign_in as sign_in_services

STEP_UP = STEP_UP_SECONDS
GET_POST = ["GET", "HEAD", "POST"]


def _found(value: Any) -> Any:
    if value is None:
        raise Http404
    return value


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # staff_view lets only signed-in users through
        raise Http404
    return user


def _confirm(
    request: HttpRequest,
    *,
    title: str,
    body: Sequence[str],
    button: str,
    back: str,
    danger: bool = True,
    error: str = "",
) -> HttpResponse:
    """A page that says what will happen and asks for one click (a POST to the same URL)."""
    context = {
        "title": title,
        "body": body,
        "button": button,
        "back": back,
        "danger": danger,
        "error": error,
    }
    return render(request, "accounts/admin/confirm.html", context, status=400 if error else 200)


def _show_link(request: HttpRequest, *, user: User, link: str, title: str) -> HttpResponse:
    """The one time an invitation link is shown; it is stored nowhere (only its hash is)."""
    context = {"subject": user, "link": request.build_absolute_uri(link), "title": title}
    return render(request, "accounts/admin/invitation_link.html", context)


# --- overview --------------------------------------------------------------------------------


@staff_view(Perm.USERS_MANAGE)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    viewer = _admin(request)
    context = {
        "open_resets": len(queries.open_second_factor_resets(viewer=viewer)),
        "may_end_all": viewer.may(Perm.SESSIONS_END_ALL),
    }
    return render(request, "accounts/admin/index.html", context)


# --- sign-in policy per role ----------------------------------------------------------------


@staff_view(Perm.USERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def role_policies(request: HttpRequest) -> HttpResponse:
    """Which roles must sign in with a security key instead of a TOTP code."""
    actor = _admin(request)
    if request.method == "POST":
        wanted = set(request.POST.getlist("require_security_key"))
        unknown = wanted - {role.value for role in Role}
        if unknown:
            return render(
                request,
                "accounts/admin/role_policies.html",
                {"rows": queries.role_policies(viewer=actor), "error": _("Unknown role.")},
                status=400,
            )
        changed = sum(
            services.role_policy_set(
                role=role, require_security_key=role.value in wanted, actor=actor
            )
            for role in Role
        )
        if changed:
            messages.success(request, _("Sign-in policy saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("staff:admin-role-policies")
    context = {"rows": queries.role_policies(viewer=actor)}
    return render(request, "accounts/admin/role_policies.html", context)


# --- users -----------------------------------------------------------------------------------


@staff_view(Perm.USERS_MANAGE)
@require_safe
def users(request: HttpRequest) -> HttpResponse:
    viewer = _admin(request)
    filters = UserFilterForm(request.GET or None)
    rows = queries.admin_users(viewer=viewer, **(filters.filters() if request.GET else {}))
    context = {"filters": filters, "rows": rows, "filtered": bool(request.GET)}
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "accounts/admin/users.html", context, status=status)


@staff_view(Perm.USERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def user_invite(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    form = UserInviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user, link = services.user_invite(
                username=form.cleaned_data["username"],
                roles=form.chosen_roles(),
                desks=list(form.cleaned_data["desks"]),
                lead_of=list(form.cleaned_data["lead_of"]),
                partner=form.cleaned_data["partner"],
                actor=actor,
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            return _show_link(request, user=user, link=link, title=_("Invitation created"))
    status = 400 if form.is_bound else 200
    return render(request, "accounts/admin/user_invite.html", {"form": form}, status=status)


@staff_view(Perm.USERS_MANAGE)
@require_safe
def user_detail(request: HttpRequest, user_id: str) -> HttpResponse:
    viewer = _admin(request)
    detail = _found(queries.admin_user_detail(viewer=viewer, user_id=user_id))
    context = {
        "detail": detail,
        "row": detail.row,
        "subject": detail.row.user,
        "is_self": detail.row.user.pk == viewer.pk,
        "may_reset": viewer.may(Perm.SECOND_FACTOR_RESET),
    }
    return render(request, "accounts/admin/user_detail.html", context)


@staff_view(Perm.USERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def user_edit(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = _admin(request)
    user = _found(queries.admin_user(viewer=actor, user_id=user_id))
    desks = queries.desks_choosable_for_user(user)
    memberships = list(user.memberships.all())
    initial = {
        "roles": list(user.role_grants.values_list("role", flat=True)),
        "desks": [m.desk_id for m in memberships],
        "lead_of": [m.desk_id for m in memberships if m.is_lead],
    }
    data = request.POST if request.method == "POST" else None
    form = UserAccessForm(data, initial=initial, desks=desks.distinct().order_by("name"))
    if form.is_bound and form.is_valid():
        try:
            changed = services.user_access_change(
                user=user,
                roles=form.chosen_roles(),
                desks=list(form.cleaned_data["desks"]),
                lead_of=list(form.cleaned_data["lead_of"]),
                actor=actor,
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("Roles and desks saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("staff:admin-user", user_id=user.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "subject": user}
    return render(request, "accounts/admin/user_edit.html", context, status=status)


def _user_action(
    request: HttpRequest,
    user_id: str,
    *,
    title: str,
    body: Sequence[str],
    button: str,
    run: Any,
    done: str,
    danger: bool = True,
) -> HttpResponse:
    actor = _admin(request)
    user = _found(queries.admin_user(viewer=actor, user_id=user_id))
    back = reverse("staff:admin-user", kwargs={"user_id": user.pk})
    error = ""
    if request.method == "POST":
        try:
            run(user=user, actor=actor)
        except AccountError as exc:
            error = str(exc)
        else:
            actor.refresh_from_db(fields=["is_active"])
            if user.pk == actor.pk and not actor.is_active:
                # The admin suspended themselves: their sessions have ended with the others.
                sign_in_services.user_sign_out(request=request)
                return redirect("staff:sign-in")
            messages.success(request, done)
            return redirect(back)
    body = [text.format(username=user.username) for text in body]
    return _confirm(
        request, title=title, body=body, button=button, back=back, error=error, danger=danger
    )


@staff_view(Perm.USERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def user_suspend(request: HttpRequest, user_id: str) -> HttpResponse:
    return _user_action(
        request,
        user_id,
        title=_("Suspend this account?"),
        body=[
            _("{username} will be signed out everywhere at once and cannot sign in again."),
            _("Any invitation link not yet used stops working."),
            _("You can reactivate the account later; nothing else about it changes."),
        ],
        button=_("Suspend the account"),
        run=services.user_suspend,
        done=_("The account is suspended and its sessions have ended."),
    )


@staff_view(Perm.USERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def user_reactivate(request: HttpRequest, user_id: str) -> HttpResponse:
    return _user_action(
        request,
        user_id,
        title=_("Reactivate this account?"),
        body=[
            _("{username} will be able to sign in again with their passphrase and second factor."),
            _("If they never accepted their invitation, give them a new invitation link."),
        ],
        button=_("Reactivate the account"),
        run=services.user_reactivate,
        done=_("The account is active again."),
        danger=False,
    )


@staff_view(Perm.USERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def user_unlock(request: HttpRequest, user_id: str) -> HttpResponse:
    return _user_action(
        request,
        user_id,
        title=_("Unlock this account?"),
        body=[
            _("{username} was locked after repeated failed sign-ins."),
            _(
                "Unlock only if you know it was them (ask them over a channel you trust): "
                "a lockout can also mean someone is guessing their passphrase."
            ),
        ],
        button=_("Unlock the account"),
        run=services.user_unlock,
        done=_("The account is unlocked."),
        danger=False,
    )


@staff_view(Perm.USERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def user_invitation(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = _admin(request)
    user = _found(queries.admin_user(viewer=actor, user_id=user_id))
    back = reverse("staff:admin-user", kwargs={"user_id": user.pk})
    error = ""
    if request.method == "POST":
        try:
            link = services.invitation_reissue(user=user, actor=actor)
        except AccountError as exc:
            error = str(exc)
        else:
            return _show_link(request, user=user, link=link, title=_("New invitation link"))
    return _confirm(
        request,
        title=_("Give a new invitation link?"),
        body=[
            _("Any earlier link for {username} stops working.").format(username=user.username),
            _("The new link is shown once, is valid for 72 hours and can be used once."),
        ],
        button=_("Create a new link"),
        back=back,
        danger=False,
        error=error,
    )


# --- second-factor resets --------------------------------------------------------------------


@staff_view(Perm.SECOND_FACTOR_RESET, step_up=STEP_UP)
@require_http_methods(GET_POST)
def user_reset_request(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = _admin(request)
    user = _found(queries.admin_user(viewer=actor, user_id=user_id))
    back = reverse("staff:admin-user", kwargs={"user_id": user.pk})
    error = ""
    if request.method == "POST":
        try:
            services.second_factor_reset_request(user=user, actor=actor)
        except AccountError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("Reset requested. Another admin must approve it before it happens.")
            )
            return redirect(back)
    return _confirm(
        request,
        title=_("Ask for a second-factor reset?"),
        body=[
            _(
                "Do this only when {username} lost their phone or security key and you have "
                "confirmed it is really them, over a channel you trust."
            ).format(username=user.username),
            _(
                "Nothing happens yet: a different admin must approve. Then their authenticators, "
                "recovery codes and security keys are deleted, their sessions end, and they get "
                "a new invitation link to set a new passphrase and enrol again."
            ),
        ],
        button=_("Ask for the reset"),
        back=back,
        error=error,
    )


@staff_view(Perm.SECOND_FACTOR_RESET)
@require_safe
def resets(request: HttpRequest) -> HttpResponse:
    viewer = _admin(request)
    context = {"resets": queries.open_second_factor_resets(viewer=viewer)}
    return render(request, "accounts/admin/resets.html", context)


@staff_view(Perm.SECOND_FACTOR_RESET, step_up=STEP_UP)
@require_http_methods(GET_POST)
def reset_approve(request: HttpRequest, reset_id: str) -> HttpResponse:
    actor = _admin(request)
    reset = _found(queries.open_second_factor_reset(viewer=actor, reset_id=reset_id))
    error = ""
    if request.method == "POST":
        try:
            link = services.second_factor_reset_approve(reset=reset, actor=actor)
        except AccountError as exc:
            error = str(exc)
        else:
            return _show_link(request, user=reset.user, link=link, title=_("Second factor reset"))
    return _confirm(
        request,
        title=_("Approve this second-factor reset?"),
        body=[
            _("{requester} asked to reset the second factor of {username}.").format(
                requester=reset.requested_by.username, username=reset.user.username
            ),
            _(
                "Their authenticators, recovery codes and security keys will be deleted, their "
                "passphrase stops working and their sessions end. You will get a one-time "
                "invitation link for them to set a new passphrase and enrol a new second factor: "
                "give it to them in person or over a secure messenger."
            ),
        ],
        button=_("Approve and reset"),
        back=reverse("staff:admin-resets"),
        error=error,
    )


@staff_view(Perm.SECOND_FACTOR_RESET, step_up=STEP_UP)
@require_http_methods(GET_POST)
def reset_cancel(request: HttpRequest, reset_id: str) -> HttpResponse:
    actor = _admin(request)
    reset = _found(queries.open_second_factor_reset(viewer=actor, reset_id=reset_id))
    error = ""
    if request.method == "POST":
        try:
            services.second_factor_reset_cancel(reset=reset, actor=actor)
        except AccountError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The reset request is withdrawn."))
            return redirect("staff:admin-resets")
    return _confirm(
        request,
        title=_("Withdraw this reset request?"),
        body=[
            _("Nothing changes for {username}; an admin can ask again later.").format(
                username=reset.user.username
            )
        ],
        button=_("Withdraw the request"),
        back=reverse("staff:admin-resets"),
        danger=False,
        error=error,
    )


# --- all sessions ----------------------------------------------------------------------------


@staff_view(Perm.SESSIONS_END_ALL, step_up=STEP_UP)
@require_http_methods(GET_POST)
def sessions_end_all(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    error = ""
    if request.method == "POST":
        try:
            services.sessions_end_everyone(actor=actor)
        except AccountError as exc:
            error = str(exc)
        else:
            # This session was ended with all the others; forget it in this browser too.
            sign_in_services.user_sign_out(request=request)
            return redirect("staff:sign-in")
    return _confirm(
        request,
        title=_("End every session of every user?"),
        body=[
            _(
                "Everyone signed in to Passage, you included, is signed out at once. Forms being "
                "typed are not saved. Everyone must sign in again with their passphrase and "
                "second factor."
            ),
            _(
                "Use this when you suspect a device or a session was stolen and you do not "
                "know whose. Accounts stay as they are: suspend an account to keep someone out."
            ),
        ],
        button=_("End all sessions"),
        back=reverse("staff:admin"),
        error=error,
    )


# --- desks -----------------------------------------------------------------------------------


@staff_view(Perm.DESKS_MANAGE)
@require_safe
def desks(request: HttpRequest) -> HttpResponse:
    context = {"rows": queries.admin_desks(viewer=_admin(request))}
    return render(request, "accounts/admin/desks.html", context)


@staff_view(Perm.DESKS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def desk_create(request: HttpRequest) -> HttpResponse:
    form = DeskForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.desk_create(name=form.cleaned_data["name"], actor=_admin(request))
        except AccountError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("Desk created."))
            return redirect("staff:admin-desks")
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": _("New desk"), "desk": None}
    return render(request, "accounts/admin/desk_form.html", context, status=status)


@staff_view(Perm.DESKS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def desk_edit(request: HttpRequest, desk_id: str) -> HttpResponse:
    actor = _admin(request)
    desk: Desk = _found(queries.admin_desk(viewer=actor, desk_id=desk_id))
    data = request.POST if request.method == "POST" else None
    form = DeskForm(data, initial={"name": desk.name})
    if form.is_bound and form.is_valid():
        try:
            services.desk_rename(desk=desk, name=form.cleaned_data["name"], actor=actor)
        except AccountError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("Desk renamed."))
            return redirect("staff:admin-desks")
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": _("Rename desk"), "desk": desk}
    return render(request, "accounts/admin/desk_form.html", context, status=status)


def _confirmed_action(
    request: HttpRequest,
    *,
    target: Any,
    target_kwarg: str,
    list_url: str,
    title: str,
    body: str,
    button: str,
    run: Any,
    done: str,
) -> HttpResponse:
    """A confirmation page (GET) whose POST runs ``run(<target_kwarg>=target, actor=...)``."""
    actor = _admin(request)
    error = ""
    if request.method == "POST":
        try:
            run(**{target_kwarg: target}, actor=actor)
        except AccountError as exc:
            error = str(exc)
        else:
            messages.success(request, done)
            return redirect(list_url)
    return _confirm(
        request,
        title=title,
        body=[body],
        button=button,
        back=reverse(list_url),
        danger=False,
        error=error,
    )


def _desk_action(request: HttpRequest, desk_id: str, *, body: str, **kwargs: Any) -> HttpResponse:
    desk: Desk = _found(queries.admin_desk(viewer=_admin(request), desk_id=desk_id))
    return _confirmed_action(
        request,
        target=desk,
        target_kwarg="desk",
        list_url="staff:admin-desks",
        body=body.format(name=desk.name),
        **kwargs,
    )


@staff_view(Perm.DESKS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def desk_deactivate(request: HttpRequest, desk_id: str) -> HttpResponse:
    return _desk_action(
        request,
        desk_id,
        title=_("Deactivate this desk?"),
        body=_(
            "{name} gets no new members or partners. Its members and cases stay where they are, "
            "so move them first if the desk is closing."
        ),
        button=_("Deactivate the desk"),
        run=services.desk_deactivate,
        done=_("Desk deactivated."),
    )


@staff_view(Perm.DESKS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def desk_reactivate(request: HttpRequest, desk_id: str) -> HttpResponse:
    return _desk_action(
        request,
        desk_id,
        title=_("Reactivate this desk?"),
        body=_("{name} can get new members and partners again."),
        button=_("Reactivate the desk"),
        run=services.desk_reactivate,
        done=_("Desk reactivated."),
    )


# --- partner organisations -------------------------------------------------------------------


@staff_view(Perm.PARTNERS_MANAGE)
@require_safe
def partners(request: HttpRequest) -> HttpResponse:
    context = {"rows": queries.admin_partners(viewer=_admin(request))}
    return render(request, "accounts/admin/partners.html", context)


@staff_view(Perm.PARTNERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.partner_create(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                desks=list(form.cleaned_data["desks"]),
                actor=_admin(request),
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Partner organisation added."))
            return redirect("staff:admin-partners")
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": _("New partner organisation"), "partner": None}
    return render(request, "accounts/admin/partner_form.html", context, status=status)


@staff_view(Perm.PARTNERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def partner_edit(request: HttpRequest, partner_id: str) -> HttpResponse:
    actor = _admin(request)
    partner: PartnerOrganisation = _found(
        queries.admin_partner(viewer=actor, partner_id=partner_id)
    )
    desks = queries.desks_choosable_for_partner(partner)
    initial = {
        "name": partner.name,
        "kind": partner.kind,
        "desks": list(partner.desks.values_list("pk", flat=True)),
    }
    data = request.POST if request.method == "POST" else None
    form = PartnerForm(data, initial=initial, editing=True, desks=desks.distinct().order_by("name"))
    if form.is_bound and form.is_valid():
        try:
            changed = services.partner_change(
                partner=partner,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                desks=list(form.cleaned_data["desks"]),
                actor=actor,
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("Partner organisation saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("staff:admin-partners")
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": _("Change partner organisation"), "partner": partner}
    return render(request, "accounts/admin/partner_form.html", context, status=status)


def _partner_action(
    request: HttpRequest, partner_id: str, *, body: str, **kwargs: Any
) -> HttpResponse:
    partner: PartnerOrganisation = _found(
        queries.admin_partner(viewer=_admin(request), partner_id=partner_id)
    )
    return _confirmed_action(
        request,
        target=partner,
        target_kwarg="partner",
        list_url="staff:admin-partners",
        body=body.format(code=partner.code),
        **kwargs,
    )


@staff_view(Perm.PARTNERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def partner_deactivate(request: HttpRequest, partner_id: str) -> HttpResponse:
    return _partner_action(
        request,
        partner_id,
        title=_("Deactivate this partner organisation?"),
        body=_(
            "We stop working with {code}: no new users can be invited for it. Suspend its users "
            "first; their referrals and shares stay recorded."
        ),
        button=_("Deactivate the organisation"),
        run=services.partner_deactivate,
        done=_("Partner organisation deactivated."),
    )


@staff_view(Perm.PARTNERS_MANAGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def partner_reactivate(request: HttpRequest, partner_id: str) -> HttpResponse:
    return _partner_action(
        request,
        partner_id,
        title=_("Reactivate this partner organisation?"),
        body=_(
            "{code} can get users again. Its suspended users stay suspended until you "
            "reactivate them one by one."
        ),
        button=_("Reactivate the organisation"),
        run=services.partner_reactivate,
        done=_("Partner organisation reactivated."),
    )
