"""Template helpers of the design system: navigation and accessible form fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _span(seconds: float) -> str:
    """The largest whole unit of a span, in the reader's language ("3 days", "1 year")."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    if days < 30:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if days < 365:
        months = days // 30
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    years = days // 365
    return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}


@register.filter
def when(value: dt.datetime | dt.date | None) -> str:
    """A moment as staff read it: "3 days ago (12 Apr 2017)", or "in 2 days (14 Apr 2017)".

    Computed by hand rather than with ``timesince``: lists show it three times a row.
    """
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        seconds = (timezone.now() - value).total_seconds()
        day = timezone.localtime(value).date()
    else:
        day = value
        seconds = (timezone.localdate() - day).days * 86400.0
    if isinstance(value, dt.datetime) and abs(seconds) < 60:
        relative = _("just now")
    elif not isinstance(value, dt.datetime) and seconds == 0:
        relative = _("today")
    elif seconds >= 0:
        relative = _("%(span)s ago") % {"span": _span(seconds)}
    else:
        relative = _("in %(span)s") % {"span": _span(-seconds)}
    return f"{relative} ({day_label(day)})"


def day_label(day: dt.date) -> str:
    """ "12 Apr 2017" in the reader's language (``date_format(day, "j M Y")``, without its
    per-call formatter: lists show dozens)."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year}"
