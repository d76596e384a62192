"""Blind indexes: keyed HMACs of normalised values for exact-match search without plaintext.

Each scope ("phone", "handle", "name", "name_sound", "date", "exact") has its own HMAC-SHA256
key derived with HKDF from the blind-index root key, so equal values in different scopes do not
match and the same phone number matches across tables. Names are transliterated to ASCII and
indexed token by token (so "Мурат Исаев" and "Murat Isaev" share tokens); the "name_sound"
scope indexes a consonant skeleton of each token, so that the spellings one name takes in
different transliterations ("Муслим", "Muslim", "Moslem") share a token too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import phonenumbers
from anyascii import anyascii
from django.db import connection

from passage.crypto.exceptions import CryptoError
from passage.crypto.keyring import MasterKey, derive_key, keyring
from passage.crypto.models import BlindIndex

if TYPE_CHECKING:
    from passage.crypto.fields import ProtectedModel


def normalise_phone(value: str) -> list[str]:
    """E.164 when the number carries a country code; otherwise its digits (at least 5)."""
    text = value.strip()
    try:
        parsed = phonenumbers.parse(text, None)
        if phonenumbers.is_possible_number(parsed):
            return [phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)]
    except phonenumbers.NumberParseException:
        pass
    digits = re.sub(r"\D", "", text)
    if text.startswith("00") and len(digits) > 2:
        digits = digits[2:]
    return [f"+{digits}"] if len(digits) >= 5 else []


_HANDLE_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|wa\.me|signal\.me)/(?:#p/)?"
)


def normalise_handle(value: str) -> list[str]:
    """Messenger handles: case-folded, without '@' or a t.me/wa.me prefix; phone-like -> phone."""
    text = _HANDLE_URL.sub("", value.strip().casefold()).lstrip("@").strip().strip("/")
    if not text:
        return []
    if re.fullmatch(r"[+\d][\d\s().-]{4,}", text):
        return normalise_phone(text)
    return [text]


# Transliteration writes some letters as marks inside a word: the Russian soft and hard signs
# (Наталья -> Natal'ya, Подъячев -> Pod"yachev), the Arabic ain and hamza (سعيد -> s`yd), and
# people type O'Brien (a typographic apostrophe becomes ' too). The marks belong to the word:
# splitting there made tokens like "evich" (every patronymic in -ьевич) or "s", which match
# far too many people.
_IN_WORD_MARKS = re.compile(r"['`\"]")


def normalise_name(value: str) -> list[str]:
    """Name tokens, transliterated to ASCII, case-folded, de-duplicated, in order."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", value)).casefold()
    ascii_text = _IN_WORD_MARKS.sub("", ascii_text)
    tokens = [t for t in re.split(r"[^a-z0-9]+", ascii_text) if t]
    return list(dict.fromkeys(tokens))


# Spelling variants that transliterations of the same sound take (Russian, Arabic, Persian,
# Chechen names in Latin letters), longest first: each becomes one letter of the skeleton.
_SOUND_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "s"),
    ("dzh", "j"),
    ("sch", "s"),
    ("tch", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("zh", "j"),
    ("dj", "j"),
    ("sh", "s"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "u"),
    ("x", "h"),
    ("q", "k"),
    ("w", "v"),
)
_VOWELS = frozenset("aeiouy")


def _sound_skeleton(token: str) -> str:
    """``token`` (ASCII, lower case) as the consonants it is heard with.

    Digraphs become one letter, vowels (and a "j" or "y" that only lengthens a vowel, as in
    "Sergej"/"Sergei"/"Sergey") are dropped except for a leading vowel, which becomes "_"
    (Omar/Umar, Islam/Eslam), and repeated letters collapse (Hassan/Hasan). Arabic script
    carries no short vowels, so "محمد" and "Muhammad" meet at "mhmd".
    """
    text = token
    for pattern, letter in _SOUND_RULES:
        text = text.replace(pattern, letter)
    out: list[str] = []
    for i, char in enumerate(text):
        previous = text[i - 1] if i else ""
        if char in _VOWELS or (char == "j" and previous in _VOWELS):
            if i == 0:
                out.append("_")
            continue
        if out and out[-1] == char:
            continue
        out.append(char)
    return "".join(out)


def normalise_name_sound(value: str) -> list[str]:
    """Consonant skeletons of the name's transliterated tokens (see ``_sound_skeleton``).

    Skeletons shorter than three letters are left out: they would match too many names.
    Digits are not names and are left out too.
    """
    skeletons = []
    for token in normalise_name(value):
        if token.isdigit():
            continue
        skeleton = _sound_skeleton(token)
        if len(skeleton) >= 3:
            skeletons.append(skeleton)
    return list(dict.fromkeys(skeletons))


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")


def normalise_date(value: str | dt.date) -> list[str]:
    """ISO dates from a date or from common written forms (day before month)."""
    if isinstance(value, dt.date):
        return [value.isoformat()]
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return [dt.datetime.strptime(text, fmt).date().isoformat()]  # noqa: DTZ007 -- a date, no time
        except ValueError:
            continue
    return []


def normalise_exact(value: str) -> list[str]:
    text = unicodedata.normalize("NFKC", value).strip().casefold()
    return [re.sub(r"\s+", " ", text)] if text else []


NORMALISERS: dict[str, Callable[[Any], list[str]]] = {
    "phone": normalise_phone,
    "handle": normalise_handle,
    "name": normalise_name,
    "name_sound": normalise_name_sound,
    "date": normalise_date,
    "exact": normalise_exact,
}


def normalise(scope: str, value: Any) -> list[str]:
    try:
        normaliser = NORMALISERS[scope]
    except KeyError:
        raise CryptoError(f"Unknown blind-index scope {scope!r}.") from None
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return list(dict.fromkeys(t for item in value for t in normaliser(item)))
    return normaliser(value)


_scope_keys: dict[tuple[str, str], bytes] = {}


def _scope_key(root: MasterKey, scope: str) -> bytes:
    # HKDF per digest would dominate bulk indexing; the root's key id names its material.
    cached = _scope_keys.get((root.key_id, scope))
    if cached is None:
        cached = derive_key(root.key, f"blind-index/{scope}")
        _scope_keys[(root.key_id, scope)] = cached
    return cached


def digest(root: MasterKey, scope: str, token: str) -> bytes:
    return hmac.new(_scope_key(root, scope), token.encode("utf-8"), hashlib.sha256).digest()


def digests(scope: str, value: Any, root: MasterKey | None = None) -> list[bytes]:
    root = root or keyring.blind_root()
    return [digest(root, scope, token) for token in normalise(scope, value)]


@dataclass(frozen=True)
class Match:
    row_type: str
    row_id: uuid.UUID
    owner_id: uuid.UUID
    field: str
    tokens: int


INDEX_FIELDS = ("scope", "digest", "root_key_id", "owner_id", "row_type", "row_id", "field")


def _row_values(
    instance: ProtectedModel,
    values: dict[str, Any],
    root: MasterKey,
    memo: dict[tuple[str, str, str], list[bytes]] | None = None,
) -> list[tuple[Any, ...]]:
    """The index rows of ``instance`` for ``values``, as tuples in ``INDEX_FIELDS`` order.

    ``memo`` (for one bulk call only) remembers the digests of text values already seen."""
    _, owner_id = instance.key_owner()
    row_type = instance._meta.label_lower
    rows = []
    for name, value in values.items():
        scopes = instance._meta.get_field(name).blind_scopes  # type: ignore[union-attr]
        for scope in scopes:
            if memo is not None and isinstance(value, str):
                key = (root.key_id, scope, value)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = digests(scope, value, root)
            else:
                found = digests(scope, value, root)
            for d in found:
                rows.append((scope, d, root.key_id, owner_id, row_type, instance.pk, name))
    return rows


def _rows_for(
    instance: ProtectedModel, values: dict[str, Any], root: MasterKey
) -> list[BlindIndex]:
    return [
        BlindIndex(**dict(zip(INDEX_FIELDS, row, strict=True)))
        for row in _row_values(instance, values, root)
    ]


def index_row(instance: ProtectedModel, values: dict[str, Any]) -> None:
    """Replace the index rows of ``instance`` for the fields in ``values`` (plaintexts)."""
    roots = [keyring.blind_root()]
    successor = keyring.blind_next()
    if successor is not None:  # a reindex is under way: keep both generations current
        roots.append(successor)
    BlindIndex.objects.filter(row_id=instance.pk, field__in=list(values)).delete()
    rows = [row for root in roots for row in _rows_for(instance, values, root)]
    BlindIndex.objects.bulk_create(rows)


def index_bulk_created(
    instances: Iterable[ProtectedModel], *, batch_size: int = 5000, using: str | None = None
) -> int:
    """Write, in bulk, the index rows of rows just inserted with ``bulk_create``.

    ``bulk_create`` encrypts through the fields' ``pre_save``, which keeps the plaintexts of
    blind-indexed fields in ``instance._blind_pending`` (``save()`` would index them itself).
    The rows are new, so there are no old index rows to replace. Equal values are digested
    once per call (the memo lives only as long as the call). Returns how many rows were written.
    """
    from passage.crypto.bulkinsert import insert_rows

    roots = [keyring.blind_root()]
    successor = keyring.blind_next()
    if successor is not None:  # a reindex is under way: keep both generations current
        roots.append(successor)
    memo: dict[tuple[str, str, str], list[bytes]] = {}
    rows: list[tuple[Any, ...]] = []
    for instance in instances:
        pending = instance._blind_pending
        if not pending:
            continue
        for root in roots:
            rows.extend(_row_values(instance, pending, root, memo))
        instance._blind_pending = {}
    return insert_rows(BlindIndex, INDEX_FIELDS, rows, using=using, batch_size=batch_size)


def drop_row(instance: ProtectedModel) -> None:
    """Forget the index rows of a deleted row; for a key owner, also those of the rows under
    its key, which a database cascade deletes without calling their ``delete()``."""
    BlindIndex.objects.filter(row_id=instance.pk).delete()
    if not instance.key_owner_path:
        BlindIndex.objects.filter(owner_id=instance.pk).delete()


def lookup(scope: str, value: Any, *, row_types: Iterable[str] | None = None) -> list[Match]:
    """Rows whose ``scope`` index matches ``value``; for names, rows sharing any token,
    best first (most shared tokens)."""
    root = keyring.blind_root()
    wanted = digests(scope, value, root)
    if not wanted:
        return []
    counts: dict[tuple[str, uuid.UUID, uuid.UUID, str], int] = {}
    for row_type, row_id, owner_id, field in _rows_matching(scope, root, wanted, row_types):
        key = (row_type, row_id, owner_id, field)
        counts[key] = counts.get(key, 0) + 1
    matches = [Match(k[0], k[1], k[2], k[3], n) for k, n in counts.items()]
    return sorted(matches, key=lambda m: -m.tokens)


def _rows_matching(
    scope: str, root: MasterKey, wanted: list[bytes], row_types: Iterable[str] | None
) -> list[tuple[str, uuid.UUID, uuid.UUID, str]]:
    """(row type, row id, owner id, field) of the index rows holding a digest of ``wanted``.

    Duplicate checks run this on every case opened: on PostgreSQL it is one plain statement
    (the ORM's query building would cost more than the index look-up itself)."""
    types = list(row_types) if row_types is not None else None
    if connection.vendor == "postgresql":
        table = BlindIndex._meta.db_table
        marks = ", ".join(["%s"] * len(wanted))
        sql = (
            f"SELECT row_type, row_id, owner_id, field FROM {table} "  # noqa: S608 -- our names
            f"WHERE scope = %s AND root_key_id = %s AND digest IN ({marks})"
        )
        params: list[Any] = [scope, root.key_id, *wanted]
        if types is not None:
            sql += f" AND row_type IN ({', '.join(['%s'] * len(types))})" if types else " AND FALSE"
            params += types
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(r[0], r[1], r[2], r[3]) for r in cursor.fetchall()]
    query = BlindIndex.objects.filter(scope=scope, root_key_id=root.key_id, digest__in=wanted)
    if types is not None:
        query = query.filter(row_type__in=types)
    return list(query.values_list("row_type", "row_id", "owner_id", "field"))


def digests_near(
    anchor_scope: str,
    anchor_value: Any,
    wanted: dict[str, Any],
    *,
    row_types: Iterable[str] | None = None,
) -> dict[tuple[str, uuid.UUID, uuid.UUID], set[bytes]]:
    """For each row whose ``anchor_scope`` index matches ``anchor_value`` (e.g. people born
    that day): which digests of ``wanted`` (scope -> value) its index holds, keyed by
    (row type, row id, owner id).

    One query on PostgreSQL. The caller compares them with ``digests(scope, token)`` of its
    own values part by part (e.g. a name part matches in one spelling or by its sound, counted
    once).
    """
    root = keyring.blind_root()
    anchor = digests(anchor_scope, anchor_value, root)
    looked_for = {d for scope, value in wanted.items() for d in digests(scope, value, root)}
    if not anchor or not looked_for:
        return {}
    anchored = BlindIndex.objects.filter(
        scope=anchor_scope, root_key_id=root.key_id, digest__in=anchor
    )
    if row_types is not None:
        anchored = anchored.filter(row_type__in=list(row_types))
    found: dict[tuple[str, uuid.UUID, uuid.UUID], set[bytes]] = {}
    for row_type, row_id, owner_id, digest_value in _rows_near(
        anchored, list(wanted), root, looked_for
    ):
        found.setdefault((row_type, row_id, owner_id), set()).add(bytes(digest_value))
    return found


def _rows_near(
    anchored: Any, scopes: list[str], root: MasterKey, looked_for: set[bytes]
) -> list[tuple[str, uuid.UUID, uuid.UUID, bytes]]:
    """The index rows in ``scopes`` holding a digest of ``looked_for``, among the rows of
    ``anchored``. The planner must start from the anchor (a birth date matches few rows),
    never from a common name token that a million rows carry: on PostgreSQL the anchor's row
    ids are an ``ARRAY(...)`` init-plan of one statement; elsewhere, two queries."""
    table = BlindIndex._meta.db_table
    if connection.vendor == "postgresql":
        anchor_sql, anchor_params = anchored.values("row_id").query.sql_with_params()
        marks = ", ".join(["%s"] * len(scopes))
        digest_marks = ", ".join(["%s"] * len(looked_for))
        sql = (
            f"SELECT row_type, row_id, owner_id, digest FROM {table} "  # noqa: S608 -- our names
            f"WHERE row_id = ANY(ARRAY({anchor_sql})) AND root_key_id = %s "
            f"AND scope IN ({marks}) AND digest IN ({digest_marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*anchor_params, root.key_id, *scopes, *looked_for])
            return [(r[0], r[1], r[2], bytes(r[3])) for r in cursor.fetchall()]
    row_ids = list(anchored.values_list("row_id", flat=True))
    if not row_ids:
        return []
    rows = BlindIndex.objects.filter(
        row_id__in=row_ids, scope__in=scopes, root_key_id=root.key_id, digest__in=looked_for
    ).values_list("row_type", "row_id", "owner_id", "digest")
    return [(r[0], r[1], r[2], bytes(r[3])) for r in rows]
