"""Mailbox sessions: in the memory store only, never in the database.

The cookie holds a random token. The store holds, under the token's hash, the mailbox id and the
codename's private key wrapped with a key derived from the token: neither half alone opens
anything. Idle sessions expire after ``PASSAGE_SESSION_IDLE_SECONDS``; every session ends after
``ABSOLUTE_SECONDS`` whatever happens.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from passage.core import memstore
from passage.crypto import codename as codenames
from passage.crypto.exceptions import SealedBoxError

COOKIE = "passage_mailbox"
ABSOLUTE_SECONDS = 2 * 3600


@dataclass(frozen=True)
class MailboxSession:
    token: str
    mailbox_id: uuid.UUID
    private_key: bytes


def _store_key(token: str) -> str:
    return memstore.key("mailbox-session", hashlib.sha256(token.encode("ascii")).hexdigest())


def start(*, mailbox_id: uuid.UUID, private_key: bytes) -> MailboxSession:
    """Open a session for a mailbox whose codename was just given (or just created)."""
    token = secrets.token_urlsafe(32)
    value = json.dumps(
        {
            "mailbox": str(mailbox_id),
            "key": codenames.wrap_for_session(private_key, token).hex(),
            "started": int(time.time()),
        }
    )
    memstore.call("set", _store_key(token), value, ex=settings.PASSAGE_SESSION_IDLE_SECONDS)
    return MailboxSession(token=token, mailbox_id=mailbox_id, private_key=private_key)


def load(request: HttpRequest) -> MailboxSession | None:
    """The session the request's cookie names, refreshed; None if absent, expired or altered."""
    token = request.COOKIES.get(COOKIE, "")
    if not token or len(token) > 100 or not token.isascii():
        return None
    raw = memstore.call("get", _store_key(token))
    if not isinstance(raw, bytes):
        return None
    try:
        data = json.loads(raw)
        started = int(data["started"])
        mailbox_id = uuid.UUID(data["mailbox"])
        private_key = codenames.unwrap_for_session(bytes.fromhex(data["key"]), token)
    except (ValueError, KeyError, TypeError, SealedBoxError):
        return None
    if time.time() - started > ABSOLUTE_SECONDS:
        end(token)
        return None
    memstore.call("expire", _store_key(token), settings.PASSAGE_SESSION_IDLE_SECONDS)
    return MailboxSession(token=token, mailbox_id=mailbox_id, private_key=private_key)


def end(token: str) -> None:
    memstore.call("delete", _store_key(token))


def set_cookie(response: HttpResponse, session: MailboxSession) -> None:
    # A browser-session cookie (no Max-Age): nothing of ours outlives the browser.
    response.set_cookie(
        COOKIE,
        session.token,
        secure=settings.PASSAGE_TLS,
        httponly=True,
        samesite="Strict",
        path="/",
    )


def clear_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path="/", samesite="Strict")
