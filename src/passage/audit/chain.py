"""The hash chain: field rules, canonical encoding, entry hashes and anchors.

Plain Python with no database access, so the rules can be checked (and re-implemented by an
outside auditor) without Passage.

Encoding (format version 1): the entry's fields as a JSON object with sorted keys, no whitespace,
ASCII only::

    {"action": ..., "actor": ..., "object_id": ..., "object_type": ..., "previous_hash": ...,
     "request_id": ..., "sequence": <int>, "time": "YYYY-MM-DDTHH:MM:SS.ffffff+00:00", "v": 1}

``entry_hash`` is the lower-case hex SHA-256 of those bytes. The first entry's ``previous_hash``
is 64 zeros (``GENESIS_HASH``). An entry without a request id encodes it as ``""``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import dataclass

from passage.audit.exceptions import InvalidAuditValue, MalformedAnchor

FORMAT_VERSION = 1
GENESIS_HASH = "0" * 64

# Field rules. They keep free text (names, e-mail addresses, notes) out of the log: every value is
# an opaque id or a short code. Limits match the column sizes in models.py.
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Actors without an id: the system itself, a console command, an anonymous member of the public.
BARE_ACTORS = frozenset({"system", "cli", "public"})
ACTOR_RE = re.compile(rf"[a-z][a-z0-9_]{{0,31}}:{_UUID}")
ACTION_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")
OBJECT_TYPE_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
OBJECT_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9_-]+")
HASH_RE = re.compile(r"[0-9a-f]{64}")

MAX_ACTOR = 80
MAX_ACTION = 64
MAX_OBJECT_TYPE = 64
MAX_OBJECT_ID = 128
MAX_REQUEST_ID = 64


def _check(value: object, pattern: re.Pattern[str], limit: int, field: str, rule: str) -> str:
    if not isinstance(value, str) or len(value) > limit or not pattern.fullmatch(value):
        raise InvalidAuditValue(f"audit {field} must be {rule} (at most {limit} characters).")
    return value


def check_actor(value: object) -> str:
    """Return ``value`` if it is ``system``, ``cli``, ``public`` or ``<kind>:<uuid>``."""
    if isinstance(value, str) and value in BARE_ACTORS:
        return value
    return _check(
        value, ACTOR_RE, MAX_ACTOR, "actor", "system, cli, public or <kind>:<lower-case uuid>"
    )


def check_action(value: object) -> str:
    """Return ``value`` if it is a dotted lower-case code such as ``case.assign``."""
    return _check(value, ACTION_RE, MAX_ACTION, "action", "a dotted code like case.assign")


def check_object_type(value: object) -> str:
    """Return ``value`` if it is a lower-case code such as ``case`` or ``accounts.user``."""
    return _check(value, OBJECT_TYPE_RE, MAX_OBJECT_TYPE, "object type", "a lower-case code")


def check_object_id(value: object) -> str:
    """Return ``value`` if it is an id or reference: letters, digits and ``. _ : -`` only."""
    return _check(
        value, OBJECT_ID_RE, MAX_OBJECT_ID, "object id", "a UUID or reference (A-Z a-z 0-9 . _ : -)"
    )


def check_request_id(value: object) -> str:
    """Return ``value`` if it is a request id (letters, digits, ``_`` and ``-``), or ``""``."""
    if value == "":
        return ""
    return _check(value, REQUEST_ID_RE, MAX_REQUEST_ID, "request id", "letters, digits, _ or -")


def actor_for(kind: str, ident: uuid.UUID | str) -> str:
    """The actor string for a user (``actor_for("user", user.pk)``) or another kind with a UUID."""
    try:
        canonical = str(uuid.UUID(str(ident)))
    except ValueError:
        raise InvalidAuditValue("audit actor id must be a UUID.") from None
    return check_actor(f"{kind}:{canonical}")


def encode_time(value: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds: the exact form the hash covers."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidAuditValue("audit time must be timezone-aware.")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry as stored: every hashed field plus its own hash."""

    sequence: int
    occurred_at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    request_id: str
    previous_hash: str
    entry_hash: str


# Column order shared by the writer, the verifier and the tests.
ENTRY_FIELDS = (
    "sequence",
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "previous_hash",
    "entry_hash",
)


def canonical_bytes(
    *,
    sequence: int,
    occurred_at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    request_id: str,
    previous_hash: str,
) -> bytes:
    """The exact bytes an entry's hash covers (see the module docstring)."""
    payload = {
        "v": FORMAT_VERSION,
        "sequence": sequence,
        "time": encode_time(occurred_at),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "request_id": request_id,
        "previous_hash": previous_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_hash(
    *,
    sequence: int,
    occurred_at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    request_id: str,
    previous_hash: str,
) -> str:
    """SHA-256 (hex) of the entry's canonical encoding."""
    data = canonical_bytes(
        sequence=sequence,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request_id=request_id,
        previous_hash=previous_hash,
    )
    return hashlib.sha256(data).hexdigest()


def hash_of(entry: Entry) -> str:
    """Recompute ``entry``'s hash from its fields (ignoring the hash it carries)."""
    return compute_hash(
        sequence=entry.sequence,
        occurred_at=entry.occurred_at,
        actor=entry.actor,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        request_id=entry.request_id,
        previous_hash=entry.previous_hash,
    )


# --- Anchors: a line kept outside the server that the log must go on extending -------------------

ANCHOR_PREFIX = "passage-audit-anchor v1"
_ANCHOR_RE = re.compile(r"passage-audit-anchor v1 seq=(0|[1-9][0-9]{0,18}) hash=([0-9a-f]{64})")


@dataclass(frozen=True, slots=True)
class Anchor:
    """The chain's state at one moment: the sequence number of an entry and that entry's hash."""

    sequence: int
    entry_hash: str

    def line(self) -> str:
        """The one-line form, e.g. ``passage-audit-anchor v1 seq=1234 hash=<hex>``."""
        return f"{ANCHOR_PREFIX} seq={self.sequence} hash={self.entry_hash}"


def parse_anchor(text: str) -> Anchor:
    """Parse an anchor line (surrounding whitespace is ignored); raise ``MalformedAnchor``."""
    match = _ANCHOR_RE.fullmatch(text.strip())
    if match is None:
        raise MalformedAnchor(
            "Malformed anchor: expected one line like "
            "'passage-audit-anchor v1 seq=1234 hash=<64 lower-case hex digits>'."
        )
    anchor = Anchor(sequence=int(match.group(1)), entry_hash=match.group(2))
    if anchor.sequence == 0 and anchor.entry_hash != GENESIS_HASH:
        raise MalformedAnchor("Malformed anchor: an anchor at seq=0 must carry the genesis hash.")
    return anchor
