"""Admin services: users, roles, desks, memberships, partner organisations, suspension,
unlocking, ending every session, and the two-admin second-factor reset.

Every function here is a write: it takes the acting admin explicitly, checks the permission
again (views check it too; a service must be safe on its own), runs in ``audit.atomic()`` and
records its audit entry in the same transaction. Entries carry ids and action codes only.

Invitation links and sessions belong to ``services.invitations`` and ``services.sessions``;
this module calls them and never builds a link or touches a session itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.exceptions import AccountError, UsernameTaken
from passage.accounts.models import (
    Desk,
    Invitation,
    Membership,
    PartnerOrganisation,
    RecoveryCode,
    RoleGrant,
    RolePolicy,
    SecondFactorReset,
    SecurityKey,
    TotpDevice,
    User,
)
from passage.accounts.roles import Perm, Role
from passage.accounts.services import invitations
from passage.accounts.services import sessions as session_services
from passage.audit import services as audit

__all__ = [
    "AdminRuleBroken",
    "NotAllowed",
    "desk_create",
    "desk_deactivate",
    "desk_reactivate",
    "desk_rename",
    "grantable_roles",
    "invitation_reissue",
    "partner_change",
    "partner_create",
    "partner_deactivate",
    "partner_reactivate",
    "second_factor_reset_approve",
    "second_factor_reset_cancel",
    "second_factor_reset_request",
    "sessions_end_everyone",
    "user_access_change",
    "user_invite",
    "user_reactivate",
    "user_suspend",
    "user_unlock",
]


class NotAllowed(AccountError):
    """The actor lacks the permission for this change (views answer 404 before this)."""


class AdminRuleBroken(AccountError):
    """The change would break a rule (last admin, own role, partner rules...).

    The message is written for the admin and safe to show: it names no person.
    """


def grantable_roles() -> list[Role]:
    """Roles an admin grants directly; desk lead comes from leading a desk."""
    return [r for r in Role if r is not Role.DESK_LEAD]


# --- helpers ---------------------------------------------------------------------------------


def _require(actor: User, perm: Perm) -> None:
    if not actor.is_active or not actor.may(perm):
        raise NotAllowed("Not allowed.")


def _actor(actor: User) -> str:
    return audit.actor_for("user", actor.pk)


def _record(actor: User, action: str, object_type: str, object_id: object) -> None:
    audit.record(
        actor=_actor(actor), action=action, object_type=object_type, object_id=str(object_id)
    )


def _active_admin_ids() -> set[object]:
    # Locked (PostgreSQL), so two admins demoting or suspending each other at the same moment
    # cannot both pass the last-admin check.
    return set(
        User.objects.select_for_update(of=("self",))
        .filter(role_grants__role=Role.ADMIN, is_active=True, suspended_at__isnull=True)
        .values_list("pk", flat=True)
    )


def _check_roles_and_partner(
    roles: Collection[Role],
    partner: PartnerOrganisation | None,
    desks: Collection[Desk],
    *,
    new_desks: Collection[Desk],
) -> None:
    if Role.DESK_LEAD in roles:
        raise AdminRuleBroken(_("Desk lead is not granted as a role: make the person lead a desk."))
    if partner is not None or Role.PARTNER in roles:
        if partner is None:
            raise AdminRuleBroken(_("A partner user must belong to a partner organisation."))
        if set(roles) != {Role.PARTNER}:
            raise AdminRuleBroken(
                _("A partner user holds only the partner role and no staff role.")
            )
        if desks:
            raise AdminRuleBroken(
                _("A partner user is not a member of any desk: they see only what is shared.")
            )
    if any(not desk.is_active for desk in new_desks):
        raise AdminRuleBroken(_("A deactivated desk cannot get new members."))
    if not roles:
        raise AdminRuleBroken(_("Choose at least one role."))


def _set_memberships(user: User, desks: Iterable[Desk], lead_of: Iterable[Desk]) -> bool:
    """Make the user's memberships exactly ``desks`` (leading ``lead_of``); True if changed."""
    wanted = {desk.pk: desk for desk in desks}
    leads = {desk.pk for desk in lead_of}
    for pk in leads:
        if pk not in wanted:
            raise AdminRuleBroken(_("A desk lead must also be a member of that desk."))
    current = {m.desk_id: m for m in user.memberships.select_related("desk")}
    changed = False
    for pk, membership in current.items():
        if pk not in wanted:
            membership.delete()
            changed = True
        elif membership.is_lead != (pk in leads):
            membership.is_lead = pk in leads
            membership.save(update_fields=["is_lead"])
            changed = True
    for pk, desk in wanted.items():
        if pk not in current:
            Membership.objects.create(user=user, desk=desk, is_lead=pk in leads)
            changed = True
    return changed


def _expire_open_invitations(user: User) -> None:
    # An invitation still open when the account is suspended or reset must not work any more.
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )


def _end_sessions_of(user: User, actor: User) -> None:
    session_services.sessions_end_all_for(user=user, actor=_actor(actor))


def _new_invitation(user: User, actor: User) -> str:
    return invitations.invitation_create(user=user, actor=_actor(actor))


# --- users -----------------------------------------------------------------------------------


def user_invite(
    *,
    username: str,
    roles: Collection[Role],
    desks: Collection[Desk] = (),
    lead_of: Collection[Desk] = (),
    partner: PartnerOrganisation | None = None,
    actor: User,
) -> tuple[User, str]:
    """Create an account for a new person and return it with its one-time invitation link.

    The account starts inactive with an unusable password: the invitee sets a passphrase and
    enrols a second factor through the link (``services.invitations``). The link path is
    returned once and stored nowhere (only its token's hash is): the admin passes it on in
    person or over a secure messenger; Passage sends no e-mail.

    Raises ``UsernameTaken`` (case-insensitive) and ``AdminRuleBroken`` (a partner user needs a
    partner organisation and holds only the partner role; desk leads are members).
    """
    _require(actor, Perm.USERS_MANAGE)
    username = username.strip()
    _check_roles_and_partner(roles, partner, desks, new_desks=desks)
    if partner is not None and not partner.is_active:
        raise AdminRuleBroken(_("That partner organisation is deactivated."))
    with audit.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise UsernameTaken(_("That username is taken. Choose another."))
        user = User(username=username, is_active=False, partner=partner)
        user.set_unusable_password()
        try:
            with audit.atomic():
                user.save(force_insert=True)
        except IntegrityError:
            raise UsernameTaken(_("That username is taken. Choose another.")) from None
        for role in roles:
            RoleGrant.objects.create(user=user, role=role)
        _set_memberships(user, desks, lead_of)
        _record(actor, "account.invited", "user", user.pk)
        link = _new_invitation(user, actor)
    return user, link


def invitation_reissue(*, user: User, actor: User) -> str:
    """A new one-time link for someone who has not accepted theirs (older links stop working)."""
    _require(actor, Perm.USERS_MANAGE)
    with audit.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.suspended_at is not None:
            raise AdminRuleBroken(_("The account is suspended: reactivate it first."))
        if user.is_active or user.has_usable_password():
            raise AdminRuleBroken(_("This person has accepted their invitation already."))
        _record(actor, "account.invitation_reissued", "user", user.pk)
        return _new_invitation(user, actor)


def user_access_change(
    *,
    user: User,
    roles: Collection[Role],
    desks: Collection[Desk],
    lead_of: Collection[Desk] = (),
    actor: User,
) -> bool:
    """Set a user's roles and desk memberships (and desk leads) to exactly what is given.

    An admin cannot remove their own admin role, and the last active admin keeps theirs, so
    the installation always has someone who can manage it. Returns True if anything changed;
    writes ``account.roles_changed`` and/or ``account.desks_changed``.
    """
    _require(actor, Perm.USERS_MANAGE)
    with audit.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        member_of = set(user.memberships.values_list("desk_id", flat=True))
        _check_roles_and_partner(
            roles, user.partner, desks, new_desks=[d for d in desks if d.pk not in member_of]
        )
        held = set(user.role_grants.values_list("role", flat=True))
        wanted = {Role(r).value for r in roles}
        if Role.ADMIN.value in held and Role.ADMIN.value not in wanted:
            if user.pk == actor.pk:
                raise AdminRuleBroken(
                    _("You cannot remove your own admin role. Ask another admin to do it.")
                )
            if _active_admin_ids() <= {user.pk}:
                raise AdminRuleBroken(_("This is the last active admin: the role must stay."))
        roles_changed = held != wanted
        if roles_changed:
            user.role_grants.exclude(role__in=wanted).delete()
            for role in wanted - held:
                RoleGrant.objects.create(user=user, role=role)
            _record(actor, "account.roles_changed", "user", user.pk)
        desks_changed = _set_memberships(user, desks, lead_of)
        if desks_changed:
            _record(actor, "account.desks_changed", "user", user.pk)
    user.forget_cached_roles()
    return roles_changed or desks_changed


def user_suspend(*, user: User, actor: User) -> None:
    """Suspend an account: it cannot sign in, and every session of it ends at once.

    Open invitations stop working too. The last active admin cannot be suspended (nobody
    could undo it from the console).
    """
    _require(actor, Perm.USERS_MANAGE)
    with audit.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.suspended_at is not None:
            raise AdminRuleBroken(_("The account is suspended already."))
        admins = _active_admin_ids()
        if user.pk in admins and admins <= {user.pk}:
            raise AdminRuleBroken(
                _("This is the last active admin: make another admin before suspending it.")
            )
        user.suspended_at = timezone.now()
        user.is_active = False
        user.save(update_fields=["suspended_at", "is_active"])
        _expire_open_invitations(user)
        _record(actor, "account.suspended", "user", user.pk)
        _end_sessions_of(user, actor)


def user_reactivate(*, user: User, actor: User) -> None:
    """Lift a suspension. Someone who never accepted their invitation needs a new link."""
    _require(actor, Perm.USERS_MANAGE)
    with audit.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.suspended_at is None:
            raise AdminRuleBroken(_("The account is not suspended."))
        user.suspended_at = None
        # An invitee who never set a passphrase goes back to "invited", not "active".
        user.is_active = user.has_usable_password()
        user.save(update_fields=["suspended_at", "is_active"])
        _record(actor, "account.reactivated", "user", user.pk)


def user_unlock(*, user: User, actor: User) -> None:
    """End a lockout after failed sign-ins before its time runs out."""
    _require(actor, Perm.USERS_MANAGE)
    with audit.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_locked and not user.failed_sign_ins:
            raise AdminRuleBroken(_("The account is not locked."))
        user.locked_until = None
        user.failed_sign_ins = 0
        user.save(update_fields=["locked_until", "failed_sign_ins"])
        _record(actor, "account.unlocked", "user", user.pk)


def sessions_end_everyone(*, actor: User) -> None:
    """End every session of every user, the acting admin's own included (emergency).

    The sessions service writes the audit entry (``account.sessions_ended_everyone``).
    """
    _require(actor, Perm.SESSIONS_END_ALL)
    session_services.sessions_end_everyone(actor=_actor(actor))


# --- second-factor reset (two admins) --------------------------------------------------------


def second_factor_reset_request(*, user: User, actor: User) -> SecondFactorReset:
    """Admin A asks for ``user``'s second factor to be reset; another admin must approve.

    Nothing changes for the user yet. One open request per user: asking again returns it.
    """
    _require(actor, Perm.SECOND_FACTOR_RESET)
    if user.pk == actor.pk:
        raise AdminRuleBroken(
            _("You cannot reset your own second factor. Ask two other admins to do it.")
        )
    with audit.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        existing = SecondFactorReset.objects.filter(
            user=user, approved_at__isnull=True, cancelled_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        reset = SecondFactorReset.objects.create(user=user, requested_by=actor)
        _record(actor, "second_factor.reset_requested", "user", user.pk)
    return reset


def second_factor_reset_approve(*, reset: SecondFactorReset, actor: User) -> str:
    """Admin B (not the requester, not the user) approves: the reset happens now.

    The user's TOTP devices, recovery codes and security keys are deleted, their sessions end
    and open invitations expire. Their passphrase is made unusable too, and the approving
    admin gets a new one-time invitation link for them: through it the person sets a new
    passphrase and enrols a new second factor, exactly like a new invitee. Why the passphrase
    too: the lost or seized phone may have held it (a password manager), and a link that
    needed the old passphrase would not help someone who lost both. The approver passes the
    link on in person, so the link is as trusted as the approval itself.
    """
    _require(actor, Perm.SECOND_FACTOR_RESET)
    with audit.atomic():
        reset = SecondFactorReset.objects.select_for_update().get(pk=reset.pk)
        if reset.approved_at is not None or reset.cancelled_at is not None:
            raise AdminRuleBroken(_("This request is closed already."))
        if reset.requested_by_id == actor.pk:
            raise AdminRuleBroken(_("You asked for this reset, so another admin must approve it."))
        if reset.user_id == actor.pk:
            raise AdminRuleBroken(_("You cannot approve a reset of your own second factor."))
        user = User.objects.select_for_update().get(pk=reset.user_id)
        if user.suspended_at is not None:
            raise AdminRuleBroken(_("The account is suspended: reactivate it first."))
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        SecurityKey.objects.filter(user=user).delete()
        _expire_open_invitations(user)
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
        reset.approved_by = actor
        reset.approved_at = timezone.now()
        reset.save(update_fields=["approved_by", "approved_at"])
        _record(actor, "second_factor.reset_approved", "user", user.pk)
        _end_sessions_of(user, actor)
        return _new_invitation(user, actor)


def second_factor_reset_cancel(*, reset: SecondFactorReset, actor: User) -> None:
    """Withdraw or refuse an open reset request (any admin may)."""
    _require(actor, Perm.SECOND_FACTOR_RESET)
    with audit.atomic():
        reset = SecondFactorReset.objects.select_for_update().get(pk=reset.pk)
        if reset.approved_at is not None or reset.cancelled_at is not None:
            raise AdminRuleBroken(_("This request is closed already."))
        reset.cancelled_at = timezone.now()
        reset.save(update_fields=["cancelled_at"])
        _record(actor, "second_factor.reset_cancelled", "user", reset.user_id)


# --- desks -----------------------------------------------------------------------------------


def _desk_name_free(name: str, *, except_pk: uuid.UUID | None = None) -> None:
    others = Desk.objects.filter(name__iexact=name)
    if except_pk is not None:
        others = others.exclude(pk=except_pk)
    if others.exists():
        raise AdminRuleBroken(_("A desk with that name exists already."))


def desk_create(*, name: str, actor: User) -> Desk:
    """Open a new desk (compartment)."""
    _require(actor, Perm.DESKS_MANAGE)
    name = name.strip()
    with audit.atomic():
        _desk_name_free(name)
        desk = Desk.objects.create(name=name)
        _record(actor, "desk.created", "desk", desk.pk)
    return desk


def desk_rename(*, desk: Desk, name: str, actor: User) -> None:
    """Rename a desk; its members, cases and partners stay."""
    _require(actor, Perm.DESKS_MANAGE)
    name = name.strip()
    with audit.atomic():
        desk = Desk.objects.select_for_update().get(pk=desk.pk)
        if desk.name == name:
            return
        _desk_name_free(name, except_pk=desk.pk)
        desk.name = name
        desk.save(update_fields=["name"])
        _record(actor, "desk.renamed", "desk", desk.pk)


def _set_active(
    obj: Desk | PartnerOrganisation,
    *,
    active: bool,
    already: str,
    action: str,
    object_type: str,
    actor: User,
    refuse_if: Callable[[Any], str | None] | None = None,
) -> None:
    """Deactivate or reactivate a desk or partner (locked, checked, audited)."""
    with audit.atomic():
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        if obj.is_active == active:
            raise AdminRuleBroken(already)
        problem = refuse_if(obj) if refuse_if else None
        if problem:
            raise AdminRuleBroken(problem)
        obj.is_active = active
        obj.save(update_fields=["is_active"])
        _record(actor, action, object_type, obj.pk)


def desk_deactivate(*, desk: Desk, actor: User) -> None:
    """Close a desk to new members and partners. Memberships stay (its cases need owners)."""
    _require(actor, Perm.DESKS_MANAGE)
    _set_active(
        desk,
        active=False,
        already=_("The desk is deactivated already."),
        action="desk.deactivated",
        object_type="desk",
        actor=actor,
    )


def desk_reactivate(*, desk: Desk, actor: User) -> None:
    """Open a deactivated desk again."""
    _require(actor, Perm.DESKS_MANAGE)
    _set_active(
        desk,
        active=True,
        already=_("The desk is active already."),
        action="desk.reactivated",
        object_type="desk",
        actor=actor,
    )


# --- partner organisations -------------------------------------------------------------------


def partner_create(
    *,
    code: str,
    name: str,
    kind: str,
    desks: Collection[Desk] = (),
    actor: User,
) -> PartnerOrganisation:
    """Add a partner organisation. Its name is encrypted under its own data key."""
    _require(actor, Perm.PARTNERS_MANAGE)
    code = code.strip()
    if any(not desk.is_active for desk in desks):
        raise AdminRuleBroken(_("A deactivated desk cannot get new partners."))
    with audit.atomic():
        if PartnerOrganisation.objects.filter(code__iexact=code).exists():
            raise AdminRuleBroken(_("A partner organisation with that code exists already."))
        partner = PartnerOrganisation(code=code, name=name.strip(), kind=kind)
        partner.save(force_insert=True)
        partner.desks.set(desks)
        _record(actor, "partner.created", "partner", partner.pk)
    return partner


def partner_change(
    *,
    partner: PartnerOrganisation,
    name: str,
    kind: str,
    desks: Collection[Desk],
    actor: User,
) -> bool:
    """Change a partner organisation's name, kind and desks (its code stays). True if changed."""
    _require(actor, Perm.PARTNERS_MANAGE)
    with audit.atomic():
        partner = PartnerOrganisation.objects.select_for_update().get(pk=partner.pk)
        current_desks = set(partner.desks.values_list("pk", flat=True))
        wanted_desks = {desk.pk for desk in desks}
        added = [desk for desk in desks if desk.pk not in current_desks]
        if any(not desk.is_active for desk in added):
            raise AdminRuleBroken(_("A deactivated desk cannot get new partners."))
        name = name.strip()
        changed = partner.name != name or partner.kind != kind or current_desks != wanted_desks
        if not changed:
            return False
        partner.name = name
        partner.kind = kind
        partner.save()
        partner.desks.set(desks)
        _record(actor, "partner.changed", "partner", partner.pk)
    return True


def partner_deactivate(*, partner: PartnerOrganisation, actor: User) -> None:
    """Stop working with a partner. Its people must be suspended first (explicitly)."""
    _require(actor, Perm.PARTNERS_MANAGE)

    def users_still_active(found: PartnerOrganisation) -> str | None:
        if found.users.filter(suspended_at__isnull=True).exists():
            return _("Suspend this organisation's users first: some can still sign in.")
        return None

    _set_active(
        partner,
        active=False,
        already=_("The partner organisation is deactivated already."),
        action="partner.deactivated",
        object_type="partner",
        actor=actor,
        refuse_if=users_still_active,
    )


def partner_reactivate(*, partner: PartnerOrganisation, actor: User) -> None:
    """Work with a deactivated partner again (its users stay suspended until reactivated)."""
    _require(actor, Perm.PARTNERS_MANAGE)
    _set_active(
        partner,
        active=True,
        already=_("The partner organisation is active already."),
        action="partner.reactivated",
        object_type="partner",
        actor=actor,
    )


# --- sign-in policy per role -----------------------------------------------------------------


def role_policy_set(*, role: Role, require_security_key: bool, actor: User) -> bool:
    """Require (or stop requiring) a security key instead of TOTP for holders of ``role``.

    Returns True when the policy changed. Holders who already have a key can no longer use a
    TOTP code; recovery codes still work, so nobody is locked out by this change.
    """
    _require(actor, Perm.USERS_MANAGE)
    with audit.atomic():
        policy, _created = RolePolicy.objects.select_for_update().get_or_create(role=role)
        if policy.require_security_key == require_security_key:
            return False
        policy.require_security_key = require_security_key
        policy.save(update_fields=["require_security_key"])
        _record(actor, "role_policy.changed", "role", role.value)
    return True
