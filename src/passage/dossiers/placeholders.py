"""The placeholders a letter template may use, checking a body, and filling it in.

Only ``{{ name }}`` with a name from ``PLACEHOLDERS`` is allowed. The body is never given to a
template engine: ``check`` refuses every other ``{{ }}``, any ``{% %}`` or ``{# #}`` and stray
braces at save time, and ``fill`` replaces the whitelisted names itself, HTML-escaping the
literal text and every value. Each placeholder belongs to a consent section (or to none, for
plain facts such as the reference), so the sections a letter needs follow from its body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case, Person

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
FORBIDDEN_RE = re.compile(r"[{}]")


@dataclass(frozen=True)
class Facts:
    """What a letter may draw on, decrypted: the case, its principal and the household."""

    case: Case
    principal: Person | None
    others: list[Person]


def _person(name: str) -> Callable[[Facts], str]:
    def value(facts: Facts) -> str:
        return str(getattr(facts.principal, name, None) or "") if facts.principal else ""

    return value


def _languages(facts: Facts) -> str:
    return ", ".join(facts.principal.languages or []) if facts.principal else ""


def _household(facts: Facts) -> str:
    return ", ".join(p.legal_name or p.chosen_name or "" for p in facts.others)


@dataclass(frozen=True)
class Placeholder:
    section: str | None  # the consent section (cases.models.SHAREABLE_SECTIONS), or None
    value: Callable[[Facts], str]


PLACEHOLDERS: dict[str, Placeholder] = {
    "case.reference": Placeholder(None, lambda f: f.case.reference),
    "case.country": Placeholder(None, lambda f: f.case.country or ""),
    "today": Placeholder(None, lambda f: timezone.localdate().isoformat()),
    "person.chosen_name": Placeholder("person", _person("chosen_name")),
    "person.legal_name": Placeholder("person", _person("legal_name")),
    "person.pronouns": Placeholder("person", _person("pronouns")),
    "person.birth_date": Placeholder("person", _person("birth_date")),
    "person.nationality": Placeholder("person", _person("nationality")),
    "person.languages": Placeholder("person", _languages),
    "household.members": Placeholder("household", _household),
    "needs.health": Placeholder("needs", _person("health_needs")),
    "needs.protection": Placeholder("needs", _person("protection_needs")),
    "narrative": Placeholder("narrative", lambda f: f.case.narrative or ""),
}


def names_in(body: str) -> list[str]:
    """The placeholder names ``body`` uses, in order of first use (unchecked)."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER_RE.finditer(body):
        seen.setdefault(match.group(1), None)
    return list(seen)


def check(body: str) -> list[str]:
    """The names ``body`` uses, or InvalidInput naming what is not allowed."""
    if not body.strip():
        raise InvalidInput(_("Write the text of the letter."))
    unknown = [name for name in names_in(body) if name not in PLACEHOLDERS]
    if unknown:
        raise InvalidInput(
            _("Unknown placeholder: %(names)s. Use only: %(allowed)s.")
            % {
                "names": ", ".join("{{ " + name[:40] + " }}" for name in unknown),
                "allowed": ", ".join(PLACEHOLDERS),
            }
        )
    if FORBIDDEN_RE.search(PLACEHOLDER_RE.sub("", body)):
        raise InvalidInput(
            _(
                "Only placeholders such as {{ case.reference }} are allowed: no template tags "
                "({% %}), comments ({# #}) or other braces."
            )
        )
    return names_in(body)


def sections_of(body: str) -> set[str]:
    """The consent sections the placeholders of a (checked) body need."""
    found = {PLACEHOLDERS[name].section for name in names_in(body) if name in PLACEHOLDERS}
    return {section for section in found if section is not None}


def _paragraphs(text: str) -> str:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "".join("<p>" + block.replace("\n", "<br>") + "</p>" for block in blocks if block)


def fill(body: str, facts: Facts) -> SafeString:
    """``body`` as HTML: literal text and values escaped, placeholders replaced, paragraphs
    from blank lines. Checks ``body`` again first (a template is never filled unchecked)."""
    check(body)
    parts: list[str] = []
    last = 0
    for match in PLACEHOLDER_RE.finditer(body):
        parts.append(escape(body[last : match.start()]))
        parts.append(escape(PLACEHOLDERS[match.group(1)].value(facts)))
        last = match.end()
    parts.append(escape(body[last:]))
    return mark_safe(_paragraphs("".join(parts)))  # noqa: S308 - every piece escaped above
