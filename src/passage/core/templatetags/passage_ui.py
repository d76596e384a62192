"""Template helpers of the design system: navigation and accessible form fields."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from passage.core.navigation import Navigation
from passage.core.navigation import staff_navigation as _staff_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_navigation(context: template.Context) -> Navigation:
    return _staff_navigation(context["request"])


@register.simple_tag
def field_widget(field: BoundField, **attrs: Any) -> SafeString:
    """Render a field's input tied to its help text and error message for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
