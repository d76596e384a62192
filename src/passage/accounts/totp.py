"""TOTP (RFC 6238) for staff second factors: 30-second steps, 6 digits, one step of drift.

The arithmetic is django-otp's (``django_otp.oath.TOTP``); the secret is kept by us, encrypted
in ``TotpDevice.secret`` as base32 text. A code is accepted only for a time step later than the
last one accepted (``TotpDevice.last_step``), so a code that was seen, even a valid one, can
never be used again. The QR code is drawn by our server (segno) as inline SVG elements: no
third-party QR service, and no ``data:`` URI (the CSP allows none).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import time
from urllib.parse import quote, urlencode

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP

STEP = 30
DIGITS = 6
TOLERANCE = 1  # steps either side: clocks of phones drift
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends
ISSUER = "Passage"

_CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """A random secret in base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    try:
        return base64.b32decode(padded)
    except binascii.Error:
        raise ValueError("not a base32 TOTP secret") from None


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str) -> str | None:
    """The six digits typed (spaces and dashes allowed), or None if it is not a TOTP code."""
    digits = re.sub(r"[\s-]", "", code)
    return digits if _CODE.match(digits) else None


def current_step(now: float | None = None) -> int:
    return int(time.time() if now is None else now) // STEP


def code_at(secret: str, step: int) -> str:
    """The code for a time step (used by tests, and to verify)."""
    totp = TOTP(_key(secret), step=STEP, digits=DIGITS)
    totp.time = step * STEP
    return str(totp.token()).zfill(DIGITS)


def matching_step(secret: str, code: str, *, after: int, now: float | None = None) -> int | None:
    """The step within the tolerance whose code is ``code`` and which is later than ``after``.

    Constant-time comparison per candidate; the caller stores the step it gets back.
    """
    digits = normalise(code)
    if digits is None:
        return None
    here = current_step(now)
    found = None
    for step in range(here - TOLERANCE, here + TOLERANCE + 1):
        if step > after and secrets.compare_digest(code_at(secret, step), digits):
            found = step
    return found


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    label = quote(f"{ISSUER}:{account}", safe=":@")
    query = urlencode(
        {"secret": secret, "issuer": ISSUER, "algorithm": "SHA1", "digits": DIGITS, "period": STEP}
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> SafeString:
    """The QR code as inline ``<svg>`` markup (drawn here; no image request, no data: URI)."""
    qr = segno.make_qr(uri, error="m")
    svg = qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", omitsize=False)
    # segno's markup is built from the bits of the code only; nothing user-typed is in it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-hidden="true" ', 1))  # noqa: S308
