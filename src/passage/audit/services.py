"""Writing the audit log: the only place entries are made.

Usage, in the service that makes a change::

    from passage.audit import services as audit

    with audit.atomic():
        ...change...
        audit.record(actor=audit.actor_for("user", user.pk), action="case.assign",
                     object_type="case", object_id=str(case.id))

Every writer serialises on the one-row chain head, so the head is locked as late as possible:
inside ``audit.atomic()`` ``record()`` only queues the entry, and the outermost ``audit.atomic()``
writes the queue right before its transaction commits. ``record()`` in a plain
``transaction.atomic()`` writes (and locks) at once. Either way the entry commits or rolls back
with the change it records.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from passage.audit import chain
from passage.audit.context import current_request_id
from passage.audit.exceptions import ChainHeadMissing, NotInTransaction
from passage.audit.models import HEAD_ID, AuditEntry, AuditHead

__all__ = ["actor_for", "atomic", "record", "request_id_from"]

actor_for = chain.actor_for


@dataclass(eq=False, slots=True)
class _Pending:
    """A queued entry. Also registered with ``on_commit`` as a no-op marker: Django discards
    callbacks registered inside a savepoint that rolls back, so a marker that is still there at
    flush time means the change this entry records survived."""

    actor: str
    action: str
    object_type: str
    object_id: str
    request_id: str
    coarse_time: bool = False

    def __call__(self) -> None:
        """Run by Django after commit; there is nothing left to do by then."""


class _Queues(threading.local):
    """Per-thread (as Django's connections are), per-database-alias queue state."""

    def __init__(self) -> None:
        self.depth: dict[str, int] = {}
        self.queues: dict[str, list[_Pending]] = {}


_local = _Queues()


@contextmanager
def atomic(
    using: str | None = None, *, savepoint: bool = True, durable: bool = False
) -> Iterator[None]:
    """``transaction.atomic()`` that writes the audit entries recorded inside it at the end.

    Nestable, and usable as a decorator. Only the outermost ``audit.atomic()`` (per thread and
    database) writes, still inside its transaction. Entries recorded in a block (or savepoint)
    that rolls back are dropped with it. The head stays locked from that write until commit, so
    long jobs should commit in chunks (one ``audit.atomic()`` per chunk).
    """
    alias = using or DEFAULT_DB_ALIAS
    with transaction.atomic(using=alias, savepoint=savepoint, durable=durable):
        depth = _local.depth.get(alias, 0)
        _local.depth[alias] = depth + 1
        try:
            yield
            if depth == 0:
                _flush(alias)
        finally:
            if depth == 0:
                # Committed, rolled back or failed: the queue never outlives its transaction.
                del _local.depth[alias]
                _local.queues.pop(alias, None)
            else:
                _local.depth[alias] = depth


def record(
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    request_id: str | None = None,
    using: str | None = None,
    coarse_time: bool = False,
) -> None:
    """Record that ``actor`` did ``action`` to an object, in the current transaction.

    ``actor`` is ``system``, ``cli``, ``public`` or ``<kind>:<uuid>`` (see ``actor_for``);
    ``action`` a dotted code like ``case.assign``; ``object_id`` a UUID or reference. Values that
    could carry free text are refused with ``InvalidAuditValue``. ``request_id=None`` takes
    ``passage.audit.context.current_request_id``. ``coarse_time`` rounds the entry's time down to
    the hour (public actions: a requester's visit must not be datable to the minute). Raises
    ``NotInTransaction`` in autocommit mode.
    """
    alias = using or DEFAULT_DB_ALIAS
    if request_id is None:
        request_id = current_request_id.get()
    pending = _Pending(
        actor=chain.check_actor(actor),
        action=chain.check_action(action),
        object_type=chain.check_object_type(object_type),
        object_id=chain.check_object_id(object_id),
        request_id=chain.check_request_id(request_id or ""),
        coarse_time=coarse_time,
    )
    connection = connections[alias]
    if not connection.in_atomic_block:
        raise NotInTransaction(
            "audit.record() must run inside the transaction that makes the change: "
            "wrap the change and the record() call in `with audit.atomic():`."
        )
    if _local.depth.get(alias, 0) > 0:
        transaction.on_commit(pending, using=alias)
        _local.queues.setdefault(alias, []).append(pending)
    else:
        _write(alias, [pending])


def request_id_from(request: object) -> str | None:
    """The id the request-id middleware put on ``request.request_id``, if there is one."""
    value = getattr(request, "request_id", None)
    return value if isinstance(value, str) and value else None


def _flush(alias: str) -> None:
    queue = _local.queues.pop(alias, None)
    if not queue:
        return
    connection = connections[alias]
    if connection.needs_rollback:
        return  # The transaction is doomed (set_rollback or a swallowed error): write nothing.
    # Each item is (savepoint ids, callback, robust); the stubs know only the first two.
    alive = {id(item[1]) for item in connection.run_on_commit}
    survivors = [pending for pending in queue if id(pending) in alive]
    if survivors:
        _write(alias, survivors)


_ENTRY_FIELDS = (
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


def _read_head(alias: str) -> tuple[int, str] | None:
    """The head's (sequence, hash), locked until commit (``FOR UPDATE``; on SQLite the
    transaction already holds the database's write lock: ``BEGIN IMMEDIATE``)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('sequence')}, {quote('entry_hash')} "  # noqa: S608 -- names from our model
        f"FROM {quote(AuditHead._meta.db_table)} WHERE {quote('id')} = %s"
    )
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEAD_ID])
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _lock_head(alias: str) -> tuple[int, str]:
    """Lock and return the chain head (creating it at genesis only if the log is empty)."""
    head = _read_head(alias)
    if head is None:
        # The migration creates the head; only a flushed test database lacks it.
        if AuditEntry.objects.using(alias).exists():
            raise ChainHeadMissing(
                "The audit chain head is missing although entries exist: "
                "run `passage audit verify`."
            )
        AuditHead.objects.using(alias).get_or_create(pk=HEAD_ID)
        head = _read_head(alias)
        if head is None:  # pragma: no cover -- created just above, in this transaction
            raise ChainHeadMissing("The audit chain head could not be created.")
    return head


def _write(alias: str, pending: list[_Pending]) -> None:
    """Number, hash and insert the entries, and move the head: in few statements, by SQL.

    Every audited write in the installation waits for this lock, so it is held for as few round
    trips as possible (the ORM's select, bulk insert and update cost ~0.5 ms of a worker's CPU
    per entry: a public help request under a surge pays it; bench/intake.py). On PostgreSQL the
    insert and the head's update are one statement.
    """
    connection = connections[alias]
    if (
        len(pending) == 1
        and connection.vendor == "postgresql"
        and _write_one_in_sql(alias, pending[0])
    ):
        return
    quote = connection.ops.quote_name
    sequence, previous = _lock_head(alias)
    # The time is taken under the lock, so times never go backwards along the chain.
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    by_name = {field.name: field for field in AuditEntry._meta.concrete_fields}
    fields = [by_name[name] for name in _ENTRY_FIELDS]
    rows: list[list[Any]] = []
    for item in pending:
        sequence += 1
        occurred_at = hour if item.coarse_time else now
        digest = chain.compute_hash(
            sequence=sequence,
            occurred_at=occurred_at,
            actor=item.actor,
            action=item.action,
            object_type=item.object_type,
            object_id=item.object_id,
            request_id=item.request_id,
            previous_hash=previous,
        )
        raw = [
            sequence,
            occurred_at,
            item.actor,
            item.action,
            item.object_type,
            item.object_id,
            item.request_id,
            previous,
            digest,
        ]
        rows.append(
            [
                field.get_db_prep_save(value, connection)
                for field, value in zip(fields, raw, strict=True)
            ]
        )
        previous = digest
    entry_table = quote(AuditEntry._meta.db_table)
    head_table = quote(AuditHead._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    move_head = (
        f"UPDATE {head_table} SET {quote('sequence')} = %s, {quote('entry_hash')} = %s "  # noqa: S608 -- names from our models
        f"WHERE {quote('id')} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            insert = f"INSERT INTO {entry_table} ({columns}) VALUES " + ", ".join(  # noqa: S608 -- names from our model
                [one_row] * len(batch)
            )
            params = [value for row in batch for value in row]
            last = start + 500 >= len(rows)
            if last and connection.vendor == "postgresql":
                cursor.execute(
                    f"WITH entries AS ({insert}) {move_head}",
                    [*params, sequence, previous, HEAD_ID],
                )
            else:
                cursor.execute(insert, params)
                if last:
                    cursor.execute(move_head, [sequence, previous, HEAD_ID])


def _write_one_in_sql(alias: str, item: _Pending) -> bool:
    """PostgreSQL, one entry: lock the head, take the time, hash, insert and move the head in one
    statement, so the head's lock is held from that one round trip to the commit.

    The hash is the one ``chain.compute_hash`` defines: the canonical JSON is assembled around
    the head's values (sorted keys: the fields before ``previous_hash`` form the prefix, the
    sequence and time follow), each string value encoded by ``json.dumps`` as the canonical
    encoder would, and hashed with PostgreSQL's ``sha256``. ``tests/audit`` checks it against
    ``chain``. False (nothing written) when the head row is missing: the caller's general path
    then creates it or refuses.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    text = functools.partial(json.dumps, ensure_ascii=True)
    prefix = (
        f'{{"action":{text(item.action)},"actor":{text(item.actor)},'
        f'"object_id":{text(item.object_id)},"object_type":{text(item.object_type)},'
        '"previous_hash":"'
    )
    middle = f'","request_id":{text(item.request_id)},"sequence":'
    entry_table = quote(AuditEntry._meta.db_table)
    head_table = quote(AuditHead._meta.db_table)
    seq, digest = quote("sequence"), quote("entry_hash")
    # The entry's time: now, read after the head's row lock is held (``old`` is locked before
    # ``clock`` is evaluated for its row), so times never go backwards along the chain.
    moment = "date_trunc('hour', clock.t, 'UTC')" if item.coarse_time else "clock.t"
    encoded_time = (
        f"to_char(({moment}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00'"
    )
    sql = (
        f"WITH old AS (SELECT {quote('id')}, {seq}, {digest} FROM {head_table} "  # noqa: S608 -- names from our models
        f"WHERE {quote('id')} = %s FOR UPDATE), "
        f"moved AS (UPDATE {head_table} AS head SET {seq} = old.{seq} + 1, "
        f"{digest} = encode(sha256(convert_to(%s || old.{digest} || %s || (old.{seq} + 1)::text "
        f"|| ',\"time\":\"' || {encoded_time} || '\",\"v\":1}}', 'UTF8')), 'hex') "
        f"FROM old CROSS JOIN LATERAL (SELECT clock_timestamp() AS t) AS clock "
        f"WHERE head.{quote('id')} = old.{quote('id')} "
        f"RETURNING head.{seq} AS seq, ({moment}) AS at, old.{digest} AS previous, "
        f"head.{digest} AS digest) "
        f"INSERT INTO {entry_table} ({seq}, {quote('occurred_at')}, {quote('actor')}, "
        f"{quote('action')}, {quote('object_type')}, {quote('object_id')}, "
        f"{quote('request_id')}, {quote('previous_hash')}, {digest}) "
        f"SELECT seq, at, %s, %s, %s, %s, %s, previous, digest FROM moved"
    )
    params: list[int | str] = [
        HEAD_ID,
        prefix,
        middle,
        item.actor,
        item.action,
        item.object_type,
        item.object_id,
        item.request_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount == 1)
