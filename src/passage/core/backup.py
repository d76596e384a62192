"""Encrypted backups of a whole installation, and rebuilding one from them.

``write_backup`` dumps every table (audit entries and chain head, wrapped data keys, blind
indexes, the shred ledger included; only ``django_session`` is left out) table by table in name
order, rows in primary-key order, inside one transaction (a consistent snapshot: REPEATABLE
READ on PostgreSQL; on SQLite the transaction holds the write lock), then every file of the
blob store, into an archive sealed to the backup public key (``passage.crypto.archive``).

``restore_backup`` rebuilds an installation into an empty database and blob store: it migrates,
checks the target is empty and at the same migrations, inserts the rows as they were (ids, audit
chain and all; the audit table refuses UPDATE and DELETE, not INSERT), writes the files, and
commits only after the archive's end was authenticated. Then it merges the shred ledgers (the
archive's, the ledger file beside the database, and any ``--ledger`` given: a newer backup or a
ledger file) and replays them, so a record shredded after the backup was taken stays shredded:
the union of the ledgers is the newest ledger. The keys (master key and the rest) come from the
keys directory, never from the archive.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from nacl.public import PrivateKey
from tqdm import tqdm

from passage.audit import services as audit
from passage.crypto import archive, shred, storage
from passage.crypto.exceptions import CryptoError, KeyFileError
from passage.crypto.keyring import keyring

BATCH = 500
BLOB_CHUNK = 4 * 1024 * 1024
SKIPPED_TABLES = frozenset({"django_session"})
MIGRATIONS_TABLE = "django_migrations"
# A target holding rows in any of these is not empty: restoring would mix two installations.
MUST_BE_EMPTY = (
    "audit_auditentry",
    "accounts_user",
    "cases_case",
    "crypto_datakey",
    "intake_helprequest",
)


class BackupError(Exception):
    """A backup or restore refused or failed; the message is safe to show."""


@dataclass(frozen=True)
class BackupResult:
    backup_id: str
    tables: int
    rows: int
    blobs: int


@dataclass(frozen=True)
class RestoreResult:
    backup_id: str
    rows: int
    blobs: int
    ledger_entries: int
    replayed: int


def backup_public_path() -> Path:
    return Path(settings.KEYS_DIR) / "backup.public"


# --- Dumping ------------------------------------------------------------------------------------


def _tables(alias: str) -> list[str]:
    return sorted(n for n in _tables_of(connections[alias]) if n not in SKIPPED_TABLES)


def _quote(name: str) -> str:
    if '"' in name:
        raise BackupError("A table or column name holds a quote; refusing it.")
    return f'"{name}"'


def _encode(value: object) -> object:
    if isinstance(value, bytes | memoryview):
        return {"b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, float) and value != value:
        raise BackupError("A stored number is not a number (NaN); cannot back it up.")
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return base64.b64decode(value["b"])
    return value


def _tables_of(connection: Any) -> list[str]:
    with connection.cursor() as cursor:
        names: list[str] = connection.introspection.table_names(cursor, include_views=False)
    return names


class _Snapshot:
    """A consistent, read-only view of the database for dumping, with values as stored.

    SQLite: a connection of its own without Django's type converters (so text, integers,
    reals and blobs come back byte for byte), in a read transaction: under WAL it sees one
    snapshot and does not block writers. PostgreSQL: Django's connection, inside the caller's
    REPEATABLE READ transaction; rows are read as ``row_to_json`` text (exact types on the way
    back through ``json_populate_recordset``).
    """

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        self.raw: sqlite3.Connection | None = None
        if self.vendor == "sqlite":
            name = str(self.connection.settings_dict["NAME"])
            self.raw = sqlite3.connect(name, isolation_level=None)
            self.raw.execute("BEGIN")
            self.raw.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()

    def close(self) -> None:
        if self.raw is not None:
            self.raw.execute("COMMIT")
            self.raw.close()

    def _fetch(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.raw is not None:
            return list(self.raw.execute(sql, params).fetchall())
        with self.connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return list(cursor.fetchall())

    def tables(self) -> list[str]:
        if self.raw is not None:
            rows = self._fetch("SELECT name FROM sqlite_master WHERE type = 'table'")
            names = [str(r[0]) for r in rows if not str(r[0]).startswith("sqlite_")]
        else:
            names = _tables_of(self.connection)
        return sorted(n for n in names if n not in SKIPPED_TABLES)

    def columns(self, table: str) -> tuple[list[str], list[str]]:
        """(columns in order, primary-key columns)."""
        if self.raw is not None:
            info = self._fetch(f"PRAGMA table_info({_quote(table)})")
            cols = [str(r[1]) for r in info]
            pk = [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]
            return cols, pk
        with self.connection.cursor() as cursor:
            desc = self.connection.introspection.get_table_description(cursor, table)
            pk_col = self.connection.introspection.get_primary_key_column(cursor, table)
        return [c.name for c in desc], [pk_col] if pk_col else []

    def count(self, table: str) -> int:
        return int(self._fetch(f"SELECT COUNT(*) FROM {_quote(table)}")[0][0])  # noqa: S608

    def migrations(self) -> list[list[str]]:
        sql = f'SELECT "app", "name" FROM {_quote(MIGRATIONS_TABLE)} ORDER BY "app", "name"'  # noqa: S608
        return [[str(a), str(n)] for a, n in self._fetch(sql)]

    def rows(self, table: str, columns: list[str], pk: list[str]) -> Iterator[tuple[str, int]]:
        """Batches of rows as JSON text: SQLite rows as lists (bytes tagged), PostgreSQL rows
        as objects."""
        order = ", ".join(_quote(c) for c in (pk or columns))
        if self.raw is not None:
            names = ", ".join(_quote(c) for c in columns)
            cursor = self.raw.execute(
                f"SELECT {names} FROM {_quote(table)} ORDER BY {order}"  # noqa: S608
            )
            while batch := cursor.fetchmany(BATCH):
                encoded = [[_encode(v) for v in r] for r in batch]
                yield json.dumps(encoded, separators=(",", ":")), len(batch)
            return
        with self.connection.cursor() as pg:
            pg.execute(
                f"SELECT row_to_json(t)::text FROM {_quote(table)} AS t ORDER BY {order}"  # noqa: S608
            )
            while batch := pg.fetchmany(BATCH):
                yield "[" + ",".join(r[0] for r in batch) + "]", len(batch)


def _count(alias: str, table: str) -> int:
    quote = connections[alias].ops.quote_name
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _blob_files() -> list[Path]:
    root = Path(settings.BLOB_DIR)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _migrations(alias: str) -> list[list[str]]:
    quote = connections[alias].ops.quote_name
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('app')}, {quote('name')} FROM {quote(MIGRATIONS_TABLE)} "  # noqa: S608
            f"ORDER BY {quote('app')}, {quote('name')}"
        )
        return [[str(a), str(n)] for a, n in cursor.fetchall()]


def write_backup(
    path: Path, *, progress: bool = False, using: str = DEFAULT_DB_ALIAS
) -> BackupResult:
    """Write one encrypted archive of the database and the blob store to ``path`` (new file)."""
    public = archive.read_public_key(backup_public_path())
    if path.exists():
        raise BackupError("The backup file exists already; choose a new name.")
    connection = connections[using]
    backup_id = str(uuid.uuid4())
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    rows_total = 0
    written = 0
    tables: list[str] = []
    try:
        # PostgreSQL reads in one REPEATABLE READ transaction; SQLite in the snapshot's own.
        snapshot_tx = (
            transaction.atomic(using=using)
            if connection.vendor == "postgresql"
            else contextlib.nullcontext()
        )
        with archive.open_for_writing(tmp) as handle, snapshot_tx:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = _Snapshot(using)
            try:
                rows_total, written, tables = _dump(snapshot, handle, public, backup_id, progress)
            finally:
                snapshot.close()
            handle.flush()
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupResult(backup_id, len(tables), rows_total, written)


def _dump(
    snapshot: _Snapshot, handle: IO[bytes], public: bytes, backup_id: str, progress: bool
) -> tuple[int, int, list[str]]:
    created = dt.datetime.now(dt.UTC).isoformat()
    writer = archive.ArchiveWriter(
        handle, public, meta={"backup_id": backup_id, "created_at": created}
    )
    tables = snapshot.tables()
    counts = {t: snapshot.count(t) for t in tables}
    blobs = _blob_files()
    writer.write_json(
        "M",
        {
            "backup_id": backup_id,
            "created_at": created,
            "vendor": snapshot.vendor,
            "migrations": snapshot.migrations(),
            "tables": counts,
            "blobs": len(blobs),
        },
    )
    # The ledger early in the stream: ``restore --ledger NEWER`` reads only this far.
    ledger = snapshot._fetch(
        'SELECT "owner_type", "owner_id", "shredded_at" FROM "crypto_shredrecord" '
        'ORDER BY "shredded_at", "owner_id"'
    )
    writer.write_json(
        "L",
        [
            {"owner_type": str(t), "owner_id": str(uuid.UUID(str(i))), "shredded_at": _iso(at)}
            for t, i, at in ledger
        ],
    )
    bar = tqdm(
        total=sum(counts.values()) + len(blobs), desc="backup", unit="item", disable=not progress
    )
    rows_total = 0
    for table in tables:
        columns, pk = snapshot.columns(table)
        writer.write_json("T", {"table": table, "columns": columns})
        for batch, n in snapshot.rows(table, columns, pk):
            writer.write("R", batch.encode())
            rows_total += n
            bar.update(n)
    root = Path(settings.BLOB_DIR)
    written = 0
    for blob in blobs:
        try:
            content = blob.read_bytes()
        except FileNotFoundError:
            continue  # shredded while the backup ran: the ledger says so
        writer.write_json("B", {"path": blob.relative_to(root).as_posix(), "size": len(content)})
        for start in range(0, len(content), BLOB_CHUNK):
            writer.write("D", content[start : start + BLOB_CHUNK])
        written += 1
        bar.update(1)
    writer.close()
    bar.close()
    return rows_total, written, tables


def _iso(value: object) -> str:
    """A ledger time as ISO 8601 with an offset (SQLite stores naive UTC text)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


# --- Restoring ----------------------------------------------------------------------------------


def _blob_target(root: Path, name: str) -> Path:
    parts = name.split("/")
    ok = (
        len(parts) == 2
        and len(parts[0]) == 2
        and len(parts[1]) == 32
        and parts[1].startswith(parts[0])
        and all(c in "0123456789abcdef" for c in parts[1])
    )
    if not ok:
        raise BackupError("The backup names a file outside the blob store; refusing it.")
    return root / parts[0] / parts[1]


def _check_empty_target(using: str) -> None:
    root = Path(settings.BLOB_DIR)
    if root.is_dir() and any(p.is_file() for p in root.rglob("*")):
        raise BackupError("The blob store is not empty: restore only into a new data directory.")
    tables = set(_tables(using))
    for table in MUST_BE_EMPTY:
        if table in tables and _count(using, table):
            raise BackupError("The database is not empty: restore only into a new database.")


def _insert(using: str, table: str, columns: list[str], batch: bytes) -> int:
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = len(json.loads(batch))
            cursor.execute(
                f"INSERT INTO {quote(table)} SELECT * FROM "  # noqa: S608
                f"json_populate_recordset(NULL::{quote(table)}, %s::json)",
                [batch.decode()],
            )
            return rows
        values = json.loads(batch)
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
            [[_decode(v) for v in row] for row in values],
        )
        return len(values)


def _reset_sequences(using: str, tables: list[str]) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the inserted ids
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE "
                "table_schema = current_schema() AND table_name = %s AND "
                "(is_identity = 'YES' OR column_default LIKE 'nextval%%')",
                [table],
            )
            for (column,) in cursor.fetchall():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608
                    f"COALESCE(MAX({quote(column)}), 1), MAX({quote(column)}) IS NOT NULL) "
                    f"FROM {quote(table)}",
                    [quote(table), column],
                )


def _check_master_keys(using: str) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT {quote('master_key_id')} FROM {quote('crypto_datakey')}"  # noqa: S608
        )
        wanted = [str(r[0]) for r in cursor.fetchall()]
    keyring.reload()
    for key_id in wanted:
        try:
            keyring.master_key(key_id)
        except KeyFileError:
            raise BackupError(
                f"The backup's data keys were wrapped by master key {key_id}, which is not in "
                "the keys directory: restore the offline key backup first (docs/backups.md)."
            ) from None


def read_ledger_source(path: Path, private: PrivateKey) -> list[shred.LedgerEntry]:
    """The shred ledger of a newer backup archive, or of a ledger file."""
    with path.open("rb") as handle:
        is_archive = handle.read(len(archive.MAGIC)) == archive.MAGIC
    if not is_archive:
        try:
            return shred.read_ledger_file(path)
        except (CryptoError, UnicodeDecodeError):
            raise BackupError(
                f"{path.name} is neither a backup archive nor a ledger file."
            ) from None
    with path.open("rb") as handle:
        try:
            for frame in archive.read_frames(handle, private):
                if frame.kind == "L":
                    return [shred.LedgerEntry.from_json(e) for e in frame.json()]
        except archive.ArchiveError as exc:
            raise BackupError(f"{path.name}: {exc}") from None
    raise BackupError(f"{path.name} holds no shred ledger.")


def restore_backup(
    path: Path,
    *,
    private: PrivateKey,
    ledgers: list[Path] | None = None,
    progress: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    migrate: Callable[[], None] | None = None,
) -> RestoreResult:
    """Rebuild this installation from ``path``; refuses a target that is not empty."""
    if MIGRATIONS_TABLE not in _tables_of(connections[using]):  # a new, empty database
        (migrate or _migrate)()
    _check_empty_target(using)
    extra: list[shred.LedgerEntry] = []
    for source in ledgers or []:
        extra += read_ledger_source(source, private)
    file_ledger = shred.ledger_path()
    if file_ledger is not None and file_ledger.exists():
        extra += shred.read_ledger_file(file_ledger)
    root = Path(settings.BLOB_DIR)
    written: list[Path] = []
    rows = 0
    manifest: dict[str, Any] = {}
    archived_ledger: list[shred.LedgerEntry] = []
    try:
        with path.open("rb") as handle, transaction.atomic(using=using):
            rows, manifest, archived_ledger = _restore_stream(
                handle, private, using=using, root=root, written=written, progress=progress
            )
            _check_master_keys(using)
    except archive.ArchiveError as exc:
        _remove(written)
        raise BackupError(str(exc)) from None
    except BaseException:
        _remove(written)
        raise
    _reset_sequences(using, list(manifest.get("tables", {})))
    entries = _merged(archived_ledger + extra)
    added = shred.merge_ledger(entries)
    replayed = shred.replay_ledger()
    backup_id = str(manifest.get("backup_id", ""))
    with audit.atomic():
        audit.record(
            actor="cli", action="backup.restored", object_type="backup", object_id=backup_id
        )
        if added or replayed:
            audit.record(
                actor="cli",
                action="backup.ledger_replayed",
                object_type="backup",
                object_id=f"entries:{added}.records:{replayed}",
            )
    if file_ledger is not None:
        shred.write_ledger_file(file_ledger, shred.ledger_entries())
    storage.vacuum()
    return RestoreResult(backup_id, rows, len(written), len(entries), replayed)


def _migrate() -> None:
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)


def _merged(entries: list[shred.LedgerEntry]) -> list[shred.LedgerEntry]:
    first: dict[uuid.UUID, shred.LedgerEntry] = {}
    for entry in entries:
        known = first.get(entry.owner_id)
        if known is None or entry.shredded_at < known.shredded_at:
            first[entry.owner_id] = entry
    return sorted(first.values(), key=lambda e: (e.shredded_at, str(e.owner_id)))


def _remove(paths: list[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def _clear(using: str, table: str) -> None:
    if not _count(using, table):
        return
    quote = connections[using].ops.quote_name
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608


def _restore_stream(
    handle: IO[bytes],
    private: PrivateKey,
    *,
    using: str,
    root: Path,
    written: list[Path],
    progress: bool,
) -> tuple[int, dict[str, Any], list[shred.LedgerEntry]]:
    connection = connections[using]
    manifest: dict[str, Any] = {}
    ledger: list[shred.LedgerEntry] = []
    table: str | None = None
    columns: list[str] = []
    blob: IO[bytes] | None = None
    blob_left = 0
    rows = 0
    bar: tqdm[Any] | None = None
    present = set(_tables(using))
    for frame in archive.read_frames(handle, private):
        if frame.kind == "M":
            manifest = frame.json()
            if manifest.get("vendor") != connection.vendor:
                raise BackupError(
                    f"This backup is of a {manifest.get('vendor')} database; restore it into "
                    f"the same kind of database (this one is {connection.vendor})."
                )
            if manifest.get("migrations") != _migrations(using):
                raise BackupError(
                    "The backup was made by another version of Passage (its migrations differ): "
                    "restore it with the version that made it, then upgrade."
                )
            total = sum(manifest.get("tables", {}).values()) + int(manifest.get("blobs", 0))
            bar = tqdm(total=total, desc="restore", unit="item", disable=not progress)
        elif frame.kind == "L":
            ledger = [shred.LedgerEntry.from_json(e) for e in frame.json()]
        elif frame.kind == "T":
            info = frame.json()
            table, columns = str(info["table"]), [str(c) for c in info["columns"]]
            if table not in present:
                raise BackupError("The backup holds a table this installation lacks.")
            if table == MIGRATIONS_TABLE:
                continue
            _clear(using, table)  # rows that migrations made (content types, the chain head)
        elif frame.kind == "R":
            if table is None:
                raise BackupError("The backup archive is damaged (rows before a table).")
            if table == MIGRATIONS_TABLE:
                continue
            n = _insert(using, table, columns, frame.data)
            rows += n
            if bar:
                bar.update(n)
        elif frame.kind == "B":
            info = frame.json()
            target = _blob_target(root, str(info["path"]))
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            blob = open(target, "xb")  # noqa: SIM115 -- closed when its last chunk is in
            target.chmod(0o600)
            written.append(target)
            blob_left = int(info["size"])
            if blob_left == 0:
                blob.close()
                blob = None
            if bar:
                bar.update(1)
        elif frame.kind == "D":
            if blob is None or len(frame.data) > blob_left:
                raise BackupError("The backup archive is damaged (file data out of place).")
            blob.write(frame.data)
            blob_left -= len(frame.data)
            if blob_left == 0:
                blob.close()
                blob = None
        elif frame.kind == "E":
            if blob is not None:
                raise BackupError("The backup archive is damaged (a file is cut short).")
            if not manifest:
                raise BackupError("The backup archive is damaged (no manifest).")
        else:
            raise BackupError("The backup archive is damaged (unknown frame).")
    if bar:
        bar.close()
    return rows, manifest, ledger
