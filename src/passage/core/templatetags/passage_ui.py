"""Template helpers of the design system: navigation and accessible form fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

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


@register.filter
def when(value: dt.datetime | dt.date | None) -> str:
    """A moment as staff read it: "3 days ago (12 Apr 2017)", or "in 2 days (14 Apr 2017)"."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        now = timezone.now()
        day = timezone.localtime(value).date()
        if value <= now:
            relative = _("%(span)s ago") % {"span": timesince(value, now, depth=1)}
        else:
            relative = _("in %(span)s") % {"span": timeuntil(value, now, depth=1)}
    else:
        day = value
        today = timezone.localdate()
        if day <= today:
            relative = _("%(span)s ago") % {"span": timesince(day, today, depth=1)}
        else:
            relative = _("in %(span)s") % {"span": timeuntil(day, today, depth=1)}
    return f"{relative} ({date_format(day, 'j M Y')})"
