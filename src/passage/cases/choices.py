"""Choice lists for case forms: countries (ISO 3166-1) and languages (ISO 639), from pycountry."""

from __future__ import annotations

import functools

import pycountry


@functools.cache
def countries() -> list[tuple[str, str]]:
    """(alpha-2 code, English name) of every country, by name."""
    rows = [(c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries]
    return sorted(rows, key=lambda row: row[1])


@functools.cache
def languages() -> list[tuple[str, str]]:
    """(code, English name) of every ISO 639 language with a two-letter code, and the
    three-letter codes of languages our people often speak that have none (e.g. Chechen has
    "ce"; Ingush "inh" has no two-letter code)."""
    rows = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code:
            rows[code] = language.name
    for code in ("inh", "ady", "kbd", "lez", "ava", "ckb", "prs"):
        found = pycountry.languages.get(alpha_3=code)
        if found is not None:
            rows[code] = found.name
    return sorted(rows.items(), key=lambda row: row[1])


@functools.cache
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in countries())


def country_name(code: str) -> str:
    return dict(countries()).get(code.upper(), code)


def language_name(code: str) -> str:
    return dict(languages()).get(code, code)
