"""Reading an uploaded spreadsheet (CSV or XLSX) and a ZIP of files, in memory only.

``read_table(data, kind)`` gives the headers and the rows, each row with a label for messages
("row 7", "notes row 3"), the record type its sheet implies (an XLSX sheet named "notes" or
"contacts") and its values by header, all as text. Nothing is written to disk: ``csv`` reads
a string, openpyxl a ``BytesIO`` (read-only mode), ``zipfile`` a ``BytesIO``.

Messages of ``SheetError`` name what is wrong with the file, never a value from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL = 50_000
MAX_ARCHIVE_MEMBERS = 5_000
# An XLSX sheet with one of these names gives its rows that record type.
SHEET_TYPES = {
    "case": "case",
    "cases": "case",
    "note": "note",
    "notes": "note",
    "contact": "contact",
    "contacts": "contact",
    "file": "file",
    "files": "file",
}


class SheetError(Exception):
    """The file cannot be read as a table (the message says why, without quoting it)."""


@dataclass
class Row:
    label: str
    number: int
    sheet_type: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]


def kind_of(name: str, data: bytes) -> str:
    """``csv`` or ``xlsx`` from the content (an XLSX is a ZIP), or ``SheetError``."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in data[:4096]:
        raise SheetError(_("This file is neither a CSV nor an XLSX spreadsheet."))
    return "csv"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def _headers(raw: list[object], where: str) -> list[str]:
    headers = [_text(h) for h in raw]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise SheetError(_("The first row must name the columns (%(where)s).") % {"where": where})
    if len(headers) > MAX_COLUMNS:
        raise SheetError(_("At most 200 columns can be imported."))
    if any(not h for h in headers):
        raise SheetError(
            _("Every column needs a name in the first row (%(where)s).") % {"where": where}
        )
    if len(set(headers)) != len(headers):
        raise SheetError(_("Two columns have the same name (%(where)s).") % {"where": where})
    if any(len(h) > 120 for h in headers):
        raise SheetError(_("A column name is longer than 120 characters."))
    return headers


def _row(
    headers: list[str], raw: list[object], label: str, number: int, sheet_type: str
) -> Row | None:
    cells = [_text(v) for v in raw]
    if not any(cells):
        return None
    if any(len(c) > MAX_CELL for c in cells):
        raise SheetError(_("A cell of %(row)s is too long.") % {"row": label})
    values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)}
    return Row(label=label, number=number, sheet_type=sheet_type, values=values)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(_("Save the CSV file as UTF-8 and upload it again.")) from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], ",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        lines = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        raise SheetError(_("This CSV file could not be read.")) from None
    if not lines:
        raise SheetError(_("The file is empty."))
    headers = _headers(list(lines[0]), _("first row"))
    rows = []
    for number, raw in enumerate(lines[1:], start=2):
        row = _row(headers, list(raw), _("row %(n)d") % {"n": number}, number, "")
        if row is not None:
            rows.append(row)
        if len(rows) > MAX_ROWS:
            raise SheetError(_("At most 50,000 rows can be imported at once."))
    return Table(headers, rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise SheetError(_("This XLSX file could not be read; it may be damaged.")) from None
    headers: list[str] = []
    rows: list[Row] = []
    try:
        for sheet in book.worksheets:
            lines = sheet.iter_rows(values_only=True)
            first = next(lines, None)
            if first is None:
                continue
            sheet_type = SHEET_TYPES.get(str(sheet.title).strip().casefold(), "")
            own = _headers(list(first), _("sheet %(n)d") % {"n": book.worksheets.index(sheet) + 1})
            headers.extend(h for h in own if h not in headers)
            prefix = str(sheet.title) if sheet_type else ""
            for number, raw in enumerate(lines, start=2):
                label = (
                    _("%(sheet)s row %(n)d") % {"sheet": prefix, "n": number}
                    if prefix
                    else _("row %(n)d") % {"n": number}
                )
                row = _row(own, list(raw), label, number, sheet_type)
                if row is not None:
                    rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise SheetError(_("At most 50,000 rows can be imported at once."))
    finally:
        book.close()
    if not headers:
        raise SheetError(_("The file is empty."))
    if len(headers) > MAX_COLUMNS:
        raise SheetError(_("At most 200 columns can be imported."))
    for row in rows:
        for header in headers:
            row.values.setdefault(header, "")
    return Table(headers, rows)


def read_table(data: bytes, kind: str) -> Table:
    if not data:
        raise SheetError(_("The file is empty."))
    return _read_xlsx(data) if kind == "xlsx" else _read_csv(data)


class Archive:
    """The ZIP of files, opened in memory; members found by name (case-insensitive, any folder)."""

    def __init__(self, data: bytes | None) -> None:
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, zipfile.ZipInfo] = {}
        if not data:
            return
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            members = [m for m in self._zip.infolist() if not m.is_dir()]
        except (zipfile.BadZipFile, ValueError):
            raise SheetError(_("The archive is not a ZIP file we can read.")) from None
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise SheetError(_("The archive holds more than 5,000 files."))
        for member in members:
            self._names.setdefault(self.key(member.filename), member)

    @staticmethod
    def key(name: str) -> str:
        return name.replace("\\", "/").rsplit("/", 1)[-1].strip().casefold()

    def __contains__(self, name: str) -> bool:
        return self.key(name) in self._names

    def read(self, name: str) -> bytes:
        """The member's bytes, or ``SheetError`` when missing or larger than an upload may be."""
        member = self._names.get(self.key(name))
        if member is None or self._zip is None:
            raise SheetError(_("The archive has no file of that name."))
        limit: int = settings.PASSAGE_UPLOAD_FILE_BYTES
        if member.file_size > limit:
            raise SheetError(_("A file in the archive is too large."))
        try:
            with self._zip.open(member) as handle:
                data = handle.read(limit + 1)
        except (zipfile.BadZipFile, RuntimeError, ValueError, OSError):
            raise SheetError(_("A file in the archive could not be read.")) from None
        if len(data) > limit:
            raise SheetError(_("A file in the archive is too large."))
        return data
