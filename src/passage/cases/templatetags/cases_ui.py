"""Template helpers of case pages: priority and stage tags (word and colour, never colour alone)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from passage.cases import choices
from passage.cases.priority import LEVEL_COLOURS, Level
from passage.cases.workflow import ENDED, PAUSED, Stage

register = template.Library()


@register.filter
def level_tag(level: int | None) -> SafeString:
    if not level:
        return format_html("{}", "—")
    found = Level(int(level))
    return format_html('<span class="tag tag--{}">{}</span>', LEVEL_COLOURS[found], found.label)


@register.filter
def stage_tag(stage: str) -> SafeString:
    try:
        found = Stage(stage)
    except ValueError:
        return format_html("{}", stage)
    colour = "green" if found in ENDED else "amber" if found in PAUSED else "blue"
    return format_html('<span class="tag tag--{}">{}</span>', colour, found.label)


@register.filter
def stage_label(stage: str) -> str:
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage


@register.filter
def iso_date(value: str | None) -> str:
    """A date stored as ISO text (a birth date), shown like other dates: "17 Mar 1994"."""
    import datetime as dt

    from django.utils.formats import date_format

    if not value:
        return "—"
    try:
        return date_format(dt.date.fromisoformat(value), "j M Y")
    except ValueError:
        return value


@register.filter
def country(code: str) -> str:
    return choices.country_name(code) if code else "—"


@register.filter
def language(code: str) -> str:
    return choices.language_name(code) if code else "—"


@register.filter
def label_of(mapping: dict[str, object], key: str) -> object:
    """``mapping[key]`` in a template (e.g. a red-flag code's label), or the key itself."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def waiting_days(opened_at: object, now: object) -> int:
    import datetime as dt

    if isinstance(opened_at, dt.datetime) and isinstance(now, dt.datetime):
        return max(0, (now - opened_at).days)
    return 0


@register.filter
def channel_label(kind: str | None) -> str:
    from passage.cases.models import ContactChannel

    try:
        return str(ContactChannel.Kind(kind or "").label)
    except ValueError:
        return kind or ""
