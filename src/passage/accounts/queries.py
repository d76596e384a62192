"""Reads of accounts for the admin pages, filtered by what the viewer may see.

A viewer without the permission gets nothing (an empty list or None), never an error that
would confirm what exists; the views turn None into a 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from passage.accounts.models import (
    Desk,
    Membership,
    PartnerOrganisation,
    RolePolicy,
    SecondFactorReset,
    SecurityKey,
    StaffSession,
    TotpDevice,
    User,
)
from passage.accounts.roles import Perm, Role

STATES = ("invited", "active", "suspended", "locked")


def user_state(user: User) -> str:
    """One word for the admin list: suspended, invited (no passphrase yet), locked or active."""
    if user.suspended_at is not None:
        return "suspended"
    if not user.is_active:
        return "invited"
    if user.is_locked:
        return "locked"
    return "active"


@dataclass(frozen=True)
class DeskPlace:
    desk: Desk
    is_lead: bool


@dataclass(frozen=True)
class UserRow:
    user: User
    roles: list[Role]
    desks: list[DeskPlace]
    partner: PartnerOrganisation | None
    state: str
    second_factor: bool
    last_seen: datetime | None


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _user_rows(queryset: object) -> list[UserRow]:
    users = (
        User.objects.filter(pk__in=queryset)
        .select_related("partner")
        .prefetch_related(
            "role_grants",
            Prefetch("memberships", queryset=Membership.objects.select_related("desk")),
        )
        .annotate(
            has_totp=Exists(TotpDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            has_key=Exists(SecurityKey.objects.filter(user=OuterRef("pk"))),
            last_seen=Max("staff_sessions__last_seen_at"),
        )
        .order_by("username")
    )
    rows = []
    for user in users:
        places = sorted(
            (DeskPlace(m.desk, m.is_lead) for m in user.memberships.all()),
            key=lambda place: place.desk.name,
        )
        roles = sorted(
            (Role(grant.role) for grant in user.role_grants.all()), key=lambda r: r.label
        )
        if any(place.is_lead for place in places):
            roles.append(Role.DESK_LEAD)
        rows.append(
            UserRow(
                user=user,
                roles=roles,
                desks=places,
                partner=user.partner,
                state=user_state(user),
                second_factor=bool(user.has_totp or user.has_key),
                last_seen=user.last_seen,
            )
        )
    return rows


def admin_users(
    *,
    viewer: User,
    state: str = "",
    role: str = "",
    desk: str = "",
    partner: str = "",
    search: str = "",
) -> list[UserRow]:
    """Every account, for an admin, optionally filtered (unknown filter values match nothing)."""
    if not viewer.may(Perm.USERS_MANAGE):
        return []
    users = User.objects.all()
    now = timezone.now()
    if state == "suspended":
        users = users.filter(suspended_at__isnull=False)
    elif state == "invited":
        users = users.filter(suspended_at__isnull=True, is_active=False)
    elif state == "locked":
        users = users.filter(is_active=True, suspended_at__isnull=True, locked_until__gt=now)
    elif state == "active":
        users = users.filter(is_active=True, suspended_at__isnull=True).exclude(
            locked_until__gt=now
        )
    elif state:
        return []
    if role == Role.DESK_LEAD:
        users = users.filter(memberships__is_lead=True)
    elif role in Role.values:
        users = users.filter(role_grants__role=role)
    elif role:
        return []
    if desk:
        desk_id = _as_uuid(desk)
        if desk_id is None:
            return []
        users = users.filter(memberships__desk_id=desk_id)
    if partner:
        partner_id = _as_uuid(partner)
        if partner_id is None:
            return []
        users = users.filter(partner_id=partner_id)
    if search:
        users = users.filter(username__icontains=search)
    return _user_rows(users.values("pk"))


@dataclass(frozen=True)
class UserDetail:
    row: UserRow
    open_sessions: int
    open_reset: SecondFactorReset | None
    is_last_active_admin: bool


def active_admin_count() -> int:
    return (
        User.objects.filter(role_grants__role=Role.ADMIN, is_active=True, suspended_at__isnull=True)
        .distinct()
        .count()
    )


def admin_user(*, viewer: User, user_id: object) -> User | None:
    """One account for an admin page, or None (unknown id or viewer without the permission)."""
    if not viewer.may(Perm.USERS_MANAGE):
        return None
    pk = _as_uuid(user_id)
    return User.objects.filter(pk=pk).first() if pk else None


def admin_user_detail(*, viewer: User, user_id: object) -> UserDetail | None:
    user = admin_user(viewer=viewer, user_id=user_id)
    if user is None:
        return None
    row = _user_rows(User.objects.filter(pk=user.pk).values("pk"))[0]
    open_reset = (
        SecondFactorReset.objects.filter(
            user=user, approved_at__isnull=True, cancelled_at__isnull=True
        )
        .select_related("requested_by")
        .first()
    )
    is_admin = Role.ADMIN in row.roles and row.state in {"active", "locked"}
    return UserDetail(
        row=row,
        open_sessions=StaffSession.objects.filter(user=user, ended_at__isnull=True).count(),
        open_reset=open_reset,
        is_last_active_admin=is_admin and active_admin_count() <= 1,
    )


def open_second_factor_resets(*, viewer: User) -> list[SecondFactorReset]:
    """Reset requests waiting for a second admin, oldest first."""
    if not viewer.may(Perm.SECOND_FACTOR_RESET):
        return []
    return list(
        SecondFactorReset.objects.filter(approved_at__isnull=True, cancelled_at__isnull=True)
        .select_related("user", "requested_by")
        .order_by("created_at")
    )


def open_second_factor_reset(*, viewer: User, reset_id: object) -> SecondFactorReset | None:
    if not viewer.may(Perm.SECOND_FACTOR_RESET):
        return None
    pk = _as_uuid(reset_id)
    if pk is None:
        return None
    return (
        SecondFactorReset.objects.filter(pk=pk, approved_at__isnull=True, cancelled_at__isnull=True)
        .select_related("user", "requested_by")
        .first()
    )


@dataclass(frozen=True)
class DeskRow:
    desk: Desk
    members: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)


def admin_desks(*, viewer: User) -> list[DeskRow]:
    """Every desk with its members' and leads' usernames and its partners' codes."""
    if not viewer.may(Perm.DESKS_MANAGE):
        return []
    desks = Desk.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user").order_by("user__username"),
        ),
        "partners",
    ).order_by("-is_active", "name")
    return [
        DeskRow(
            desk=desk,
            members=[m.user.username for m in desk.memberships.all()],
            leads=[m.user.username for m in desk.memberships.all() if m.is_lead],
            partners=sorted(p.code for p in desk.partners.all()),
        )
        for desk in desks
    ]


def admin_desk(*, viewer: User, desk_id: object) -> Desk | None:
    if not viewer.may(Perm.DESKS_MANAGE):
        return None
    pk = _as_uuid(desk_id)
    return Desk.objects.filter(pk=pk).first() if pk else None


def desks_choosable_for_user(user: User) -> QuerySet[Desk]:
    """Active desks, and those the user is on even if deactivated (so they can be removed)."""
    return (
        Desk.objects.filter(is_active=True) | Desk.objects.filter(memberships__user=user)
    ).distinct()


def desks_choosable_for_partner(partner: PartnerOrganisation) -> QuerySet[Desk]:
    with_partner = Desk.objects.filter(partners=partner)
    return (Desk.objects.filter(is_active=True) | with_partner).distinct()


def assignable_desks() -> list[Desk]:
    return list(Desk.objects.filter(is_active=True).order_by("name"))


@dataclass(frozen=True)
class PartnerRow:
    partner: PartnerOrganisation
    desks: list[Desk]
    users: int


def admin_partners(*, viewer: User) -> list[PartnerRow]:
    """Every partner organisation with its desks and number of (non-suspended) users."""
    if not viewer.may(Perm.PARTNERS_MANAGE):
        return []
    partners = (
        PartnerOrganisation.objects.prefetch_related("desks")
        .annotate(user_count=Count("users", filter=Q(users__suspended_at__isnull=True)))
        .order_by("-is_active", "code")
    )
    return [
        PartnerRow(
            partner=partner,
            desks=sorted(partner.desks.all(), key=lambda d: d.name),
            users=partner.user_count,
        )
        for partner in partners
    ]


def admin_partner(*, viewer: User, partner_id: object) -> PartnerOrganisation | None:
    if not viewer.may(Perm.PARTNERS_MANAGE):
        return None
    pk = _as_uuid(partner_id)
    return PartnerOrganisation.objects.filter(pk=pk).first() if pk else None


def assignable_partners() -> list[PartnerOrganisation]:
    return list(PartnerOrganisation.objects.filter(is_active=True).order_by("code"))


@dataclass(frozen=True)
class RolePolicyRow:
    role: Role
    require_security_key: bool


def role_policies(*, viewer: User) -> list[RolePolicyRow]:
    """Every role with its sign-in policy (roles without a stored policy require nothing)."""
    if not viewer.may(Perm.USERS_MANAGE):
        return []
    stored = dict(RolePolicy.objects.values_list("role", "require_security_key"))
    return [RolePolicyRow(role, bool(stored.get(role.value, False))) for role in Role]


# --- the signed-in user's own things ---------------------------------------------------------


def user_by_username(username: str) -> User | None:
    """The account with this username (case-insensitive), if any."""
    return User.objects.filter(username__iexact=username.strip()).first()


def usernames_by_id(ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))


def own_security_keys(user: User) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(user=user).order_by("created_at"))


def own_security_key(user: User, key_id: uuid.UUID | str) -> SecurityKey | None:
    return SecurityKey.objects.filter(pk=key_id, user=user).first()


def has_security_key(user: User) -> bool:
    return SecurityKey.objects.filter(user=user).exists()


def own_pending_totp_device(user: User, device_id: uuid.UUID | str) -> TotpDevice | None:
    """The authenticator this user is enrolling (not yet confirmed), if ``device_id`` is it."""
    return TotpDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()


def own_open_session(user: User, session_id: uuid.UUID | str) -> StaffSession | None:
    return StaffSession.objects.filter(pk=session_id, user=user, ended_at=None).first()
