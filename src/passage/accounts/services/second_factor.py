"""Second factors: TOTP enrolment and checks, single-use recovery codes.

A TOTP code is accepted only for a time step later than the last accepted one, checked and
stored under a row lock, so the same code can never pass twice (not even by two requests at the
same moment). Recovery codes are random, shown once, stored only as SHA-256, and used once.

WebAuthn security keys (the ``webauthn`` package): registered by a signed-in user, then usable
instead of a TOTP code. A role whose ``RolePolicy.require_security_key`` is set makes TOTP
codes insufficient for a holder who has a key (recovery codes still work, as the way back
after losing it); a holder without a key yet may still use TOTP, so they can register one.

"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from passage.accounts import totp
from passage.accounts.models import RecoveryCode, RolePolicy, SecurityKey, TotpDevice, User
from passage.audit import services as audit

RECOVERY_CODES = 10
# No look-alikes; 10 characters from 31 give about 50 bits, plenty for a single-use code
# behind a 5-attempt lockout.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def has_second_factor(user: User) -> bool:
    """Whether the user has a confirmed authenticator app to sign in with.

    Everyone enrols an app first (invitation or enrolment page); security keys are added on
    top of it, so a second-factor reset (which deletes both) always leads back to enrolment.
    """
    return TotpDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrolment_device(*, user: User) -> TotpDevice:
    """The user's unconfirmed authenticator, made now if there is none (with a new secret)."""
    with audit.atomic():
        device = (
            TotpDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-created_at")
            .first()
        )
        if device is not None:
            return device
        device = TotpDevice(user=user, secret=totp.new_secret(), confirmed=False)
        device.save()
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.totp_enrolment_started",
            object_type="totp_device",
            object_id=str(device.pk),
        )
        return device


def _accept(device: TotpDevice, code: str) -> bool:
    """Check ``code`` against a row-locked device; on success store the step used."""
    step = totp.matching_step(str(device.secret), code, after=device.last_step)
    if step is None:
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True


def recovery_codes_generate(*, user: User, actor: str) -> list[str]:
    """Replace the user's recovery codes with 10 new ones, returned this once."""
    with audit.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(10)]
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_code_hash(code)) for code in codes
        )
        audit.record(
            actor=actor,
            action="account.recovery_codes_generated",
            object_type="user",
            object_id=str(user.pk),
        )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def totp_enrol_confirm(*, user: User, device: TotpDevice, code: str) -> list[str] | None:
    """Confirm an authenticator with a current code; returns new recovery codes, or None.

    The confirmed device replaces any other authenticator of the user.
    """
    with audit.atomic():
        locked = (
            TotpDevice.objects.select_for_update()
            .filter(pk=device.pk, user=user, confirmed=False)
            .first()
        )
        if locked is None or not _accept(locked, code):
            return None
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        TotpDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.totp_enrolled",
            object_type="totp_device",
            object_id=str(locked.pk),
        )
        return recovery_codes_generate(user=user, actor=audit.actor_for("user", user.pk))


def second_factor_verify(*, user: User, code: str) -> str | None:
    """Check a TOTP code or a recovery code; returns "totp" or "recovery_code", or None.

    A TOTP code is used up (its step is stored); a recovery code is marked used. Audited by
    the caller (``sign_in.second_factor_passed``); a used recovery code is audited here.
    """
    with audit.atomic():
        if totp.normalise(code) is not None:
            if security_key_required(user) and SecurityKey.objects.filter(user=user).exists():
                return None  # this user's role asks for the security key itself
            devices = TotpDevice.objects.select_for_update().filter(user=user, confirmed=True)
            if any(_accept(device, code) for device in devices):
                return "totp"
            return None
        normalised = _normalise_recovery(code)
        if len(normalised) != 10:
            return None
        row = (
            RecoveryCode.objects.select_for_update()
            .filter(Q(user=user) & Q(code_hash=_code_hash(normalised)), used_at=None)
            .first()
        )
        if row is None:
            return None
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.recovery_code_used",
            object_type="user",
            object_id=str(user.pk),
        )
        return "recovery_code"


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


# --- WebAuthn security keys ------------------------------------------------------------------


@dataclass(frozen=True)
class RelyingParty:
    """Who the browser talks to: the host name (RP ID) and the page's origin."""

    rp_id: str
    origin: str


def security_key_required(user: User) -> bool:
    """Whether one of the user's roles asks for a security key (``RolePolicy``)."""
    return RolePolicy.objects.filter(
        role__in=[role.value for role in user.roles], require_security_key=True
    ).exists()


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=bytes(key.credential_id))
        for key in SecurityKey.objects.filter(user=user)
    ]


def security_key_registration_options(*, user: User, rp: RelyingParty) -> tuple[str, bytes]:
    """Options for ``navigator.credentials.create()`` (JSON) and the challenge to keep."""
    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name="Passage",
        user_name=user.get_username(),
        user_id=user.pk.bytes,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED,
        ),
    )
    return options_to_json(options), options.challenge


def security_key_register(
    *, user: User, credential: str, challenge: bytes, rp: RelyingParty, label: str
) -> SecurityKey | None:
    """Verify a new key's attestation and keep its public key; None if it does not verify."""
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return None
    with audit.atomic():
        if SecurityKey.objects.filter(credential_id=verified.credential_id).exists():
            return None
        key = SecurityKey.objects.create(
            user=user,
            credential_id=verified.credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            label=label[:60] or "Security key",
        )
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.security_key_added",
            object_type="security_key",
            object_id=str(key.pk),
        )
    return key


def security_key_authentication_options(*, user: User, rp: RelyingParty) -> tuple[str, bytes]:
    """Options for ``navigator.credentials.get()`` (JSON) and the challenge to keep."""
    options = generate_authentication_options(
        rp_id=rp.rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    return options_to_json(options), options.challenge


def security_key_verify(*, user: User, credential: str, challenge: bytes, rp: RelyingParty) -> bool:
    """Check an assertion from one of the user's keys (signature, challenge, origin, counter)."""
    try:
        raw_id = json.loads(credential)["rawId"]
        credential_id = base64url_to_bytes(raw_id)
    except (ValueError, KeyError, TypeError):
        return False
    with audit.atomic():
        key = (
            SecurityKey.objects.select_for_update()
            .filter(user=user, credential_id=credential_id)
            .first()
        )
        if key is None:
            return False
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=rp.rp_id,
                expected_origin=rp.origin,
                credential_public_key=bytes(key.public_key),
                credential_current_sign_count=key.sign_count,
            )
        except (WebAuthnException, ValueError, KeyError, TypeError):
            return False
        key.sign_count = verified.new_sign_count
        key.last_used_at = timezone.now()
        key.save(update_fields=["sign_count", "last_used_at"])
    return True


def security_key_remove(*, user: User, key: SecurityKey) -> None:
    """Forget one of the user's own keys."""
    with audit.atomic():
        SecurityKey.objects.filter(pk=key.pk, user=user).delete()
        audit.record(
            actor=audit.actor_for("user", user.pk),
            action="account.security_key_removed",
            object_type="security_key",
            object_id=str(key.pk),
        )
