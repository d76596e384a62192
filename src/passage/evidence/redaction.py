"""Redaction spans of a testimony and the redacted text (pure functions, nothing stored).

A span is ``[start, end, category]``: the characters ``text[start:end]`` are removed and, in the
redacted text, replaced by a neutral marker for their category (``[name]``, ``[place]``,
``[date]``, ``[redacted]``). Overlapping or touching spans merge (the first one's category wins
where they differ, so nothing is left between them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MARKERS = {
    "name": "[name]",
    "place": "[place]",
    "date": "[date]",
    "other": "[redacted]",
}

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Piece:
    """A part of the text: kept as it is, or a removed span (``category`` set)."""

    text: str
    category: str = ""


def normalised(spans: Iterable[Iterable[object]], length: int) -> list[Span]:
    """Valid spans within a text of ``length`` characters, sorted and merged."""
    cleaned: list[Span] = []
    for raw in spans:
        parts = list(raw)
        if len(parts) != 3:
            continue
        start, end, category = parts
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        if category not in MARKERS:
            continue
        start, end = max(0, start), min(length, end)
        if start < end:
            cleaned.append((start, end, str(category)))
    cleaned.sort()
    merged: list[Span] = []
    for start, end, category in cleaned:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, category))
    return merged


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every place ``phrase`` occurs in ``text`` (case-insensitive, not overlapping)."""
    found: list[tuple[int, int]] = []
    if not phrase:
        return found
    haystack, needle = text.casefold(), phrase.casefold()
    if len(haystack) != len(text):  # casefold changed lengths (e.g. ß): exact matching only
        haystack, needle = text, phrase
    at = haystack.find(needle)
    while at >= 0:
        found.append((at, at + len(needle)))
        at = haystack.find(needle, at + len(needle))
    return found


def pieces(text: str, spans: Iterable[Iterable[object]]) -> list[Piece]:
    """The text cut into kept parts and removed spans (for showing what will be removed)."""
    result: list[Piece] = []
    at = 0
    for start, end, category in normalised(spans, len(text)):
        if start > at:
            result.append(Piece(text[at:start]))
        result.append(Piece(text[start:end], category))
        at = end
    if at < len(text):
        result.append(Piece(text[at:]))
    return result


def redacted(text: str, spans: Iterable[Iterable[object]]) -> str:
    """The text with every span replaced by its category's marker."""
    return "".join(
        MARKERS[piece.category] if piece.category else piece.text for piece in pieces(text, spans)
    )
