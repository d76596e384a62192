"""Choice lists for case forms: countries (ISO 3166-1) and languages (ISO 639), from pycountry."""

from __future__ import annotations

import functools
import gettext

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


@functools.cache
def countries_in(language: str) -> list[tuple[str, str]]:
    """(alpha-2 code, name in ``language``) of every country, by that name (pycountry's own
    translations of ISO 3166-1, so a Persian page lists countries in Persian)."""
    try:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return sorted(countries(), key=lambda row: row[1].casefold())
    rows = []
    for country in pycountry.countries:
        short = getattr(country, "common_name", country.name)
        name = catalogue.gettext(short)
        if name == short:  # short names ("Iran") are often untranslated; official ones are
            name = catalogue.gettext(country.name)
        rows.append((country.alpha_2, _MISSING_NAMES.get((country.alpha_2, language), name)))
    return sorted(rows, key=lambda row: row[1].casefold())


# Names pycountry's catalogues lack (its Arabic and Persian ones predate the name Türkiye).
_MISSING_NAMES = {("TR", "ar"): "تركيا", ("TR", "fa"): "ترکیه"}
