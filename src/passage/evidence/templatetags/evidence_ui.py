"""Template filters of the evidence pages."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def breakable(value: object, every: int = 16) -> SafeString:
    """A long unbroken string (a SHA-256) with break opportunities every ``every`` characters,
    so it wraps on a 320 px screen; its text (copy and paste, search) stays the same."""
    text = str(value or "")
    parts = [conditional_escape(text[i : i + every]) for i in range(0, len(text), every)]
    return mark_safe("<wbr>".join(parts))  # noqa: S308 - every part is escaped
