"""Charts drawn on the server as inline SVG: no script, nothing from another origin.

Each chart is a picture of numbers that a table beside it gives in full (the table is what
screen readers and people without the picture use), so the SVG is labelled by a short title
and points to its table. Colours are presentation attributes (no style attributes, which the
Content-Security-Policy forbids) from the design system's palette; every bar has its number
written next to it, so colour never carries meaning alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#0b57a4"  # --colour-primary
BAR_SAFE = "#1d6b3a"  # green: done/safe
TEXT = "#1b1f24"
MUTED = "#4b5563"
GRID = "#d1d5db"


class Barlike(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def value(self) -> int: ...


def _number(value: int) -> str:
    return f"{value:,}"


def _svg(width: int, height: int, title: str, table_id: str, body: list[str]) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 -- every text in it is escaped above or a number
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{label}" aria-describedby="{escape(table_id)}" focusable="false" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def bars(items: Sequence[Barlike], *, title: str, table_id: str, colour: str = BAR) -> SafeString:
    """Horizontal bars, one per item, its label on the left and its number after it."""
    width, label_w, number_w, row_h = 640, 200, 90, 30
    height = max(1, len(items)) * row_h + 10
    top = max((item.value for item in items), default=0) or 1
    span = width - label_w - number_w
    body = []
    for i, item in enumerate(items):
        y = 5 + i * row_h
        length = round(span * item.value / top)
        text = escape(item.label if len(item.label) <= 28 else item.label[:27] + "…")
        body.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="14" '
            f'fill="{TEXT}">{text}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(length, 1 if item.value else 0)}" '
            f'height="{row_h - 10}" fill="{colour}"/>'
            f'<text x="{label_w + length + 6}" y="{y + 19}" font-size="14" '
            f'fill="{TEXT}">{_number(item.value)}</text>'
        )
    return _svg(width, height, title, table_id, body)


def columns(items: Sequence[Barlike], *, title: str, table_id: str, every: int = 4) -> SafeString:
    """Vertical columns (a time series), a label under every ``every``-th one."""
    width, height, left, bottom, top_pad = 640, 240, 48, 40, 12
    count = max(1, len(items))
    step = (width - left - 8) / count
    top = max((item.value for item in items), default=0) or 1
    plot = height - bottom - top_pad
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" '
        f'stroke="{GRID}"/>',
        f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end" font-size="12" '
        f'fill="{MUTED}">{_number(top)}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="12" '
        f'fill="{MUTED}">0</text>',
    ]
    for i, item in enumerate(items):
        h = round(plot * item.value / top)
        x = left + i * step
        body.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h}" width="{max(step - 2, 1):.1f}" '
            f'height="{h}" fill="{BAR}">'
            f"<title>{escape(item.label)}: {_number(item.value)}</title></rect>"
        )
        if i % every == 0:
            body.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="11" fill="{MUTED}">{escape(item.label)}</text>'
            )
    return _svg(width, height, title, table_id, body)


def progress(done: int, target: int, *, title: str, table_id: str) -> SafeString:
    """A bar of ``done`` out of ``target``."""
    width, height = 640, 48
    share = min(1.0, done / target) if target else 0.0
    body = [
        f'<rect x="0" y="8" width="{width - 120}" height="24" fill="#f3f4f6" stroke="{GRID}"/>',
        f'<rect x="0" y="8" width="{round((width - 120) * share)}" height="24" fill="{BAR_SAFE}"/>',
        f'<text x="{width - 112}" y="26" font-size="14" fill="{TEXT}">'
        f"{_number(done)} / {_number(target)}</text>",
    ]
    return _svg(width, height, title, table_id, body)
