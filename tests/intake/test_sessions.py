"""intake.sessions: mailbox sessions live in the memory store only, under the token's hash, with
the private key wrapped by the token; idle and absolute expiry; tampered cookies open nothing."""

from __future__ import annotations

import hashlib
import json
import time
import uuid

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from passage.core import memstore
from passage.crypto import codename as codenames
from passage.intake import sessions
from passage.intake.models import Mailbox
from passage.intake.words import wordlist

pytestmark = pytest.mark.usefixtures("memstore")

MAILBOX = uuid.UUID("12345678-1234-4321-8765-123456789abc")


def private_key() -> bytes:
    return codenames.derive_private_key(codenames.generate(wordlist("en")))


def with_cookie(token: str | None) -> object:
    request = RequestFactory().get("/en/mailbox/")
    if token is not None:
        request.COOKIES[sessions.COOKIE] = token
    return request


def load(token: str | None) -> sessions.MailboxSession | None:
    return sessions.load(with_cookie(token))  # type: ignore[arg-type]


def stored(token: str) -> bytes:
    value = memstore.call("get", sessions._store_key(token))
    assert isinstance(value, bytes)
    return value


def test_the_session_lives_in_the_memory_store_under_the_tokens_hash() -> None:
    key = private_key()
    session = sessions.start(mailbox_id=MAILBOX, private_key=key)
    digest = hashlib.sha256(session.token.encode()).hexdigest()
    assert sessions._store_key(session.token) == memstore.key("mailbox-session", digest)
    assert memstore.call("exists", memstore.key("mailbox-session", digest)) == 1
    # Nothing of the token itself is a key name.
    names = [n.decode() for n in memstore.client().scan_iter(match=memstore.key("*"))]
    assert not any(session.token in name for name in names)
    value = stored(session.token)
    assert key not in value
    assert key.hex().encode() not in value
    assert session.token.encode() not in value
    assert json.loads(value)["mailbox"] == str(MAILBOX)


def test_the_session_is_not_in_the_database(db: None) -> None:
    from django.contrib.sessions.models import Session

    sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    assert not Session.objects.exists()
    assert not Mailbox.objects.exists()


def test_the_cookie_loads_the_session() -> None:
    key = private_key()
    session = sessions.start(mailbox_id=MAILBOX, private_key=key)
    loaded = load(session.token)
    assert loaded is not None
    assert (loaded.token, loaded.mailbox_id, loaded.private_key) == (session.token, MAILBOX, key)


@pytest.mark.parametrize("how", ["flip-last", "flip-first", "truncate", "extend"])
def test_a_tampered_cookie_opens_nothing(how: str) -> None:
    token = sessions.start(mailbox_id=MAILBOX, private_key=private_key()).token
    swap = {"A": "B"}.get(token[-1], "A")
    tampered = {
        "flip-last": token[:-1] + swap,
        "flip-first": ("B" if token[0] == "A" else "A") + token[1:],
        "truncate": token[:-1],
        "extend": token + "A",
    }[how]
    assert load(tampered) is None


@pytest.mark.parametrize("token", [None, "", "x" * 101, "ключ"])
def test_no_or_odd_cookie_opens_nothing(token: str | None) -> None:
    sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    assert load(token) is None


def test_a_stored_key_wrapped_for_another_token_opens_nothing() -> None:
    mine = sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    other = sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    memstore.call("set", sessions._store_key(mine.token), stored(other.token))
    assert load(mine.token) is None


def test_the_idle_timeout_is_set_and_each_use_renews_it() -> None:
    session = sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    key = sessions._store_key(session.token)
    idle = settings.PASSAGE_SESSION_IDLE_SECONDS
    assert idle - 5 <= memstore.call("ttl", key) <= idle  # type: ignore[operator]
    memstore.call("expire", key, 30)
    assert load(session.token) is not None
    assert idle - 5 <= memstore.call("ttl", key) <= idle  # type: ignore[operator]
    # Once the store has let it expire, the cookie opens nothing.
    memstore.call("pexpire", key, 1)
    time.sleep(0.05)
    assert load(session.token) is None


def test_every_session_ends_after_the_absolute_limit() -> None:
    session = sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    key = sessions._store_key(session.token)
    data = json.loads(stored(session.token))
    data["started"] = int(time.time()) - sessions.ABSOLUTE_SECONDS + 60
    memstore.call("set", key, json.dumps(data), ex=60)
    assert load(session.token) is not None
    data["started"] = int(time.time()) - sessions.ABSOLUTE_SECONDS - 1
    memstore.call("set", key, json.dumps(data), ex=60)
    assert load(session.token) is None
    assert memstore.call("exists", key) == 0


def test_a_corrupt_stored_value_opens_nothing() -> None:
    session = sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    memstore.call("set", sessions._store_key(session.token), b"not json")
    assert load(session.token) is None


def test_end_forgets_the_session() -> None:
    session = sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    sessions.end(session.token)
    assert memstore.call("exists", sessions._store_key(session.token)) == 0
    assert load(session.token) is None


def test_the_cookie_is_a_strict_http_only_browser_session_cookie() -> None:
    session = sessions.start(mailbox_id=MAILBOX, private_key=private_key())
    response = HttpResponse()
    sessions.set_cookie(response, session)
    morsel = response.cookies[sessions.COOKIE]
    assert morsel.value == session.token
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Strict"
    assert morsel["path"] == "/"
    assert morsel["max-age"] == "" and morsel["expires"] == ""
    cleared = HttpResponse()
    sessions.clear_cookie(cleared)
    assert cleared.cookies[sessions.COOKIE].value == ""
    assert cleared.cookies[sessions.COOKIE]["max-age"] == 0
