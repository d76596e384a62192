"""Helpers for the intake tests: requests sent through the real public services, screeners made
like real staff, raw reads of what is stored, a small real picture.

Nothing here replaces our code: requests come from ``services.public``, replies from
``services.screening``; what is checked is read back from the database or the memory store.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from passage.intake import payloads, sessions
from passage.intake.models import HelpRequest
from passage.intake.services import public
from tests.cases.helpers import raw_value
from tests.personas import make_staff

__all__ = [
    "audit_entries",
    "fresh",
    "make_screener",
    "png_bytes",
    "raw_value",
    "sign_in",
    "story",
    "submit",
]

STORY_TEXT = "They came for me on Tuesday night; my brother told them where I live."
FEARS_TEXT = "That they find the flat where I hide now."
HANDLE = "@quiet_fox_1991"


def submit(language: str = "ru", country: str = "RU", urgency: str = "immediate") -> public.Receipt:
    """The first step, as the help form sends it."""
    return public.request_submit(country=country, urgency=urgency, language=language)


def story(**extra: Any) -> payloads.Story:
    """A second step with a story, a handle and ticked situations."""
    values: dict[str, Any] = {
        "name": "Ali",
        "contact_kind": "telegram",
        "contact_value": HANDLE,
        "region": "Chechnya",
        "happened": STORY_TEXT,
        "fears": FEARS_TEXT,
        "situations": ["detained", "family"],
        "passport": "expired",
        "people": 2,
    }
    values.update(extra)
    return payloads.Story(**values)


def sign_in(codename: str) -> sessions.MailboxSession:
    return public.mailbox_sign_in(codename=codename)


def fresh(request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.get(pk=request.pk)


def make_screener(desk: Desk, username: str = "screener") -> User:
    return make_staff(username, Role.SCREENER, desks=(desk,))


def audit_entries(action: str, object_id: uuid.UUID | str | None = None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(action=action)
    if object_id is not None:
        entries = entries.filter(object_id=str(object_id))
    return list(entries.order_by("sequence"))


def png_bytes(size: tuple[int, int] = (8, 8), colour: str = "purple") -> bytes:
    """A small, valid PNG made in memory."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
