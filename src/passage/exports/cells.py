"""Spreadsheet-safe CSV: every cell neutralised against formula injection.

A spreadsheet takes a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return for a formula (``=HYPERLINK("http://...", "click")`` sends data elsewhere). Every such
cell gets a leading apostrophe, which spreadsheets show as text and hide. This is applied to
every cell of every export, operational columns included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: object) -> str:
    """``value`` as text that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def as_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV (CRLF lines) of ``header`` and ``rows``, every cell neutralised, in memory."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutral(h) for h in header])
    for row in rows:
        writer.writerow([neutral(cell) for cell in row])
    return out.getvalue().encode("utf-8")
