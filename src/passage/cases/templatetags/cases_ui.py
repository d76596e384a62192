"""Template helpers of case pages: priority and stage tags (word and colour, never colour alone)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from passage.accounts.roles import Perm
from passage.cases import choices
from passage.cases.models import Case
from passage.cases.priority import LEVEL_COLOURS, Level
from passage.cases.workflow import ENDED, PAUSED, Stage
from passage.core.templatetags.passage_ui import when

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
    """A language's English name, and its name in the reader's language where known."""
    return choices.language_label(code, language=get_language() or "") if code else "—"


@register.filter
def label_of(mapping: dict[str, object], key: str) -> object:
    """``mapping[key]`` in a template (e.g. a red-flag code's label), or the key itself."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def may(user: object, perm: str) -> bool:
    """Whether ``user`` holds the permission with this code: ``request.user|may:"x.y"``."""
    check = getattr(user, "may", None)
    return bool(check(Perm(perm))) if callable(check) and perm in Perm.values else False


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


def _due(moment: dt.datetime | None, now: dt.datetime) -> str:
    text = escape(when(moment))
    if moment is not None and moment < now:
        return f'<span class="tag tag--red">{escape(_("overdue"))}</span> {text}'
    return text


@register.filter
def name_in(names: dict[object, str] | None, pk: object) -> str:
    """The chosen name shown beside a case's reference in a list ("" when not shown)."""
    return names.get(pk, "") if isinstance(names, dict) else ""


def _overdue_tasks(overdue: dict[object, int] | None, case: Case) -> str:
    """The queue's marker for a case's overdue tasks (``casework.queries.overdue_task_counts``)."""
    count = (overdue or {}).get(case.pk, 0)
    if not count:
        return ""
    words = ngettext("%(n)d overdue task", "%(n)d overdue tasks", count) % {"n": count}
    return f' <span class="tag tag--red">{escape(words)}</span>'


@register.simple_tag
def queue_row(
    case: Case,
    now: dt.datetime,
    may_assign: bool,
    names: dict[object, str] | None = None,
    me: object = None,
    overdue: dict[object, int] | None = None,
) -> SafeString:
    """One row of the triage queue, built here rather than in the template: the queue is the
    hottest page, and the template engine costs about a millisecond a row. Every value is
    escaped on the way in. ``names``: chosen names of the cases the viewer works; ``me``: the
    viewer's id (an "Assign to me" button on the cases that are not theirs); ``overdue``: counts
    of overdue tasks by case id."""
    pk = escape(str(case.pk))
    reference = escape(case.reference)
    name = name_in(names, case.pk)
    chosen = f' <span class="chosen-name">{escape(name)}</span>' if name else ""
    assignee = str(escape(case.assignee.username if case.assignee else "—"))
    if may_assign and me is not None and case.assignee_id != me:
        mine = escape(reverse("cases:assign-me", kwargs={"case_id": case.pk}))
        assignee += (
            f' <button type="submit" class="button button--secondary button--small" '
            f'formaction="{mine}" data-assign-me>{escape(_("Assign to me"))}</button>'
        )
    cells = []
    if may_assign:
        label = escape(_("Choose %(ref)s") % {"ref": case.reference})
        cells.append(
            f'<td><input type="checkbox" name="cases" value="{pk}" id="pick-{pk}" '
            f'aria-label="{label}"></td>'
        )
    frozen = f' <span class="tag tag--red">{escape(_("frozen"))}</span>' if case.is_frozen else ""
    url = escape(reverse("cases:case", kwargs={"case_id": case.pk}))
    cells += [
        f'<th scope="row"><a class="reference" href="{url}">{reference}</a>{chosen}{frozen}</th>',
        f'<td>{level_tag(case.priority_level)} <span class="muted">{case.priority_score}</span>'
        "</td>",
        f"<td>{stage_tag(case.stage)}</td>",
        f"<td>{escape(case.desk.name)}</td>",
        f'<td class="numeric">{waiting_days(case.opened_at, now)}</td>',
        f"<td>{escape(when(case.last_contact_at))}</td>",
        f"<td>{_due(case.next_contact_due, now)}</td>",
        f"<td>{assignee}</td>",
        f"<td>{_due(case.next_deadline, now)}{_overdue_tasks(overdue, case)}</td>",
    ]
    return mark_safe(f"<tr data-queue-row>{''.join(cells)}</tr>")  # noqa: S308 -- every value escaped above
