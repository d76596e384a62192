"""Inserting many new rows at once: key-storage rows, and protected rows as ``bulk_create`` would.

On PostgreSQL the rows go through ``COPY ... FROM STDIN`` (psycopg 3). Django's
``bulk_create`` builds the values of a whole batch into one statement (as ``UNNEST`` arrays,
or with one placeholder per value for tables with a ``BinaryField``), which costs about twice
what ``COPY`` does for the same rows. Elsewhere (SQLite) both functions use ``bulk_create``.

``create(objs)`` is ``bulk_create`` for rows whose primary key is set before the write (every
``ProtectedModel``): each field's ``pre_save`` runs, so encrypted fields encrypt (inside
``datakeys.bulk_keys`` without a key query) and keep their blind-index plaintexts for
``blind.index_bulk_created``; then ``get_db_prep_save``, as ``bulk_create`` does. No signals are
sent (``bulk_create`` sends none either).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, cast

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)


def _copy(alias: str, table: str, columns: Sequence[str], rows: Any) -> None:
    connection = connections[alias]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def insert_rows(
    model: type[models.Model],
    field_names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    using: str | None = None,
    batch_size: int = 5000,
) -> int:
    """Insert ``rows`` (values in the order of ``field_names``) into ``model``'s table.

    The values must be what the fields store as they are: UUIDs, bytes, text, integers,
    aware datetimes. Returns how many rows were inserted.
    """
    if not rows:
        return 0
    alias = using or router.db_for_write(model)
    if connections[alias].vendor != "postgresql":
        objs = [model(**dict(zip(field_names, row, strict=True))) for row in rows]
        model._default_manager.using(alias).bulk_create(objs, batch_size=batch_size)
        return len(rows)
    column_of = {f.name: f.column for f in model._meta.concrete_fields}
    _copy(alias, model._meta.db_table, [column_of[name] for name in field_names], rows)
    return len(rows)


def create(objs: Sequence[M], *, using: str | None = None, batch_size: int = 2000) -> Sequence[M]:
    """``bulk_create(objs)`` for new rows of one model whose primary keys are already set."""
    if not objs:
        return objs
    model = type(objs[0])
    if any(type(obj) is not model or obj.pk is None for obj in objs):
        raise ValueError("create() takes new rows of one model, with their keys set.")
    alias = using or router.db_for_write(model)
    if connections[alias].vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(objs, batch_size=batch_size)
        return objs
    connection = connections[alias]
    fields = model._meta.concrete_fields
    for obj in objs:
        # As bulk_create: related rows must be saved; their ids are taken from them.
        cast(Any, obj)._prepare_related_fields_for_save(operation_name="bulk_create")
    rows = ([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs)
    _copy(alias, model._meta.db_table, [f.column for f in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs
