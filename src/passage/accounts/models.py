"""Staff users, desks, roles, partner organisations, second factors, sessions and access grants.

Plaintext here is operational only: usernames (pseudonymous sign-in handles), desk names,
role codes, times. Partner names, TOTP secrets and break-glass reasons are encrypted
(``ProtectedModel``); recovery codes and invitation tokens are stored only as hashes.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.roles import Perm, Role, permissions_for
from passage.crypto.fields import EncryptedTextField, ProtectedModel


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class User(AbstractBaseUser):
    """A staff or partner user. The username is the only plaintext identifier (docs/security.md).

    ``is_active`` is False while the user is suspended (or has not accepted the invitation).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(_("username"), max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    partner = models.ForeignKey(
        "accounts.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Set for people of a partner organisation: they see only its cases."),
    )
    failed_sign_ins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique")
        ]

    def __str__(self) -> str:
        return self.username

    # Role and desk facts, cached per instance (a request's user is loaded once per request).

    @property
    def roles(self) -> frozenset[Role]:
        cached: frozenset[Role] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            held = {Role(r) for r in self.role_grants.values_list("role", flat=True)}
            if self.memberships.filter(is_lead=True).exists():
                held.add(Role.DESK_LEAD)
            cached = frozenset(held)
            self._roles_cache = cached
        return cached

    @property
    def permissions(self) -> frozenset[Perm]:
        return permissions_for(set(self.roles))

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def may(self, perm: Perm) -> bool:
        return perm in self.permissions

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def forget_cached_roles(self) -> None:
        self.__dict__.pop("_roles_cache", None)


class Desk(models.Model):
    """A compartment of staff, usually a region. Cases belong to one desk."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place on a desk; ``is_lead`` makes them that desk's lead."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="memberships")
    is_lead = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "desk"], name="accounts_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.desk_id}"


class RoleGrant(models.Model):
    """A role held by a user (desk lead is held through ``Membership.is_lead`` instead)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(
        max_length=20, choices=[(r.value, r.label) for r in Role if r is not Role.DESK_LEAD]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_rolegrant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role} for {self.user_id}"


class RolePolicy(models.Model):
    """Per-role sign-in policy set by admins: e.g. security keys required for admins."""

    role = models.CharField(max_length=20, choices=Role.choices, unique=True)
    require_security_key = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"policy for {self.role}"


class PartnerOrganisation(ProtectedModel):
    """An organisation we work with (NGO, lawyer, sponsor group...). Its name is encrypted.

    The logistics issue extends it (contacts, trust, desks); partner users belong to one.
    """

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO or community network")
        GOVERNMENT = "government", _("Government programme or embassy")
        UNHCR = "unhcr", _("UNHCR office")
        LAWYER = "lawyer", _("Lawyer")
        SPONSOR = "sponsor", _("Sponsor group")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = EncryptedTextField(_("name"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    desks = models.ManyToManyField(Desk, blank=True, related_name="partners")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Invitation(models.Model):
    """A one-time link for a new user (or a reset second factor), valid 72 hours.

    Only the SHA-256 of the token is stored; the link is shown once to the inviting admin.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.id}"


class TotpDevice(ProtectedModel):
    """A TOTP authenticator. The secret is encrypted under the device's own data key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="totp_devices")
    secret = EncryptedTextField()
    confirmed = models.BooleanField(default=False)
    # The last time step accepted: a code is never accepted twice (nor an older one).
    last_step = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"TOTP device {self.id}"


class RecoveryCode(models.Model):
    """A single-use recovery code, stored as SHA-256 of the (high-entropy) code."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


class SecurityKey(models.Model):
    """A WebAuthn credential (public key only; the private half never leaves the key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_keys")
    credential_id = models.BinaryField(unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    label = models.CharField(max_length=60, default="Security key")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"security key {self.id}"


class StaffSession(models.Model):
    """What we know of one signed-in session, for "My sessions" and for ending sessions.

    Keyed by a hash of Django's session key (the key itself is a bearer secret).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_sessions")
    session_key_hash = models.CharField(max_length=64, unique=True)
    device = models.CharField(max_length=60, blank=True)  # coarse: "Firefox on Android"
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    second_factor_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"], name="accounts_session_user_open")]

    def __str__(self) -> str:
        return f"session {self.id}"


class SignInThrottle(models.Model):
    """Failed sign-ins per client address, keyed by a keyed hash (the address is not stored)."""

    address_hash = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    blocked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "sign-in throttle"


class SecondFactorReset(models.Model):
    """Two admins agreeing that a user who lost their second factor may enrol a new one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_resets")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"second-factor reset {self.id}"


class AccessGrant(ProtectedModel):
    """Break-glass: temporary access to one case outside the user's desks, with a reason."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_grants")
    object_type = models.CharField(max_length=40, default="case")
    object_id = models.UUIDField()
    desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.SET_NULL)
    reason = EncryptedTextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "object_id"], name="accounts_grant_user_object")]

    def __str__(self) -> str:
        return f"access grant {self.id}"


class Lockdown(models.Model):
    """One emergency lockdown, from its proposal to its lifting (docs/lockdown.md).

    An admin proposes it; a second, different admin confirms it within ten minutes (otherwise
    the proposal lapses) and from then it is *active*: staff sessions ended, partner accounts
    suspended (``LockdownSuspension`` remembers which), exports refused, only admins may sign
    in. Lifting needs two admins too: one proposes, another confirms. Plaintext: ids and times.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    lift_proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_proposed_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["lifted_at", "confirmed_at"], name="accounts_lockdown_state")
        ]

    def __str__(self) -> str:
        return f"lockdown {self.id}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.lifted_at is None


class LockdownSuspension(models.Model):
    """A partner account that a lockdown suspended, so lifting it restores exactly those."""

    lockdown = models.ForeignKey(Lockdown, on_delete=models.PROTECT, related_name="suspensions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    suspended_at = models.DateTimeField()
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lockdown", "user"], name="accounts_lockdown_suspension_unique"
            )
        ]

    def __str__(self) -> str:
        return f"lockdown suspension {self.pk}"
