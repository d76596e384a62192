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


# Three-letter codes the earlier, shorter list offered although the language has a two-letter
# one: still accepted and shown, and saved as the two-letter code.
LEGACY_LANGUAGE_CODES = {"ava": "av"}


def _code_of(language: object) -> str:
    return str(getattr(language, "alpha_2", None) or getattr(language, "alpha_3", ""))


@functools.cache
def languages() -> list[tuple[str, str]]:
    """(code, English name) of every ISO 639 language people speak: every living language of
    ISO 639-3 (individual and macrolanguages) and every language of ISO 639-1, by name. The
    code is the two-letter one where there is one (so stored codes such as "ru" and "ce" stay
    valid), else the three-letter one (Kabardian "kbd", Ingush "inh")."""
    rows = {}
    for language in pycountry.languages:
        if getattr(language, "type", "") == "L" or getattr(language, "alpha_2", None):
            rows[_code_of(language)] = language.name
    return sorted(rows.items(), key=lambda row: row[1])


@functools.cache
def language_codes() -> frozenset[str]:
    return frozenset(_language_names())


@functools.cache
def _language_names() -> dict[str, str]:
    return dict(languages())


@functools.cache
def _language_catalogue(language: str) -> gettext.NullTranslations | None:
    """pycountry's translations of ISO 639-3 names into ``language`` (None: none, or English)."""
    if not language or language.split("-")[0] == "en":
        return None
    try:
        return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


@functools.cache
def _names_to_codes(language: str) -> dict[str, str]:
    """Every way staff may name a language (code, English, inverted or common name, the name in
    ``language``), folded, to its code."""
    found: dict[str, str] = {}
    catalogue = _language_catalogue(language)
    valid = language_codes()
    for entry in pycountry.languages:
        code = _code_of(entry)
        if code not in valid:
            continue
        names = [
            getattr(entry, key, None)
            for key in ("alpha_3", "bibliographic", "name", "inverted_name", "common_name")
        ]
        if catalogue is not None:
            names.append(catalogue.gettext(entry.name))
        for name in names:
            if name:
                found.setdefault(str(name).casefold(), code)
    for name in valid:  # the codes themselves win over any name
        found[name.casefold()] = name
    found.update(LEGACY_LANGUAGE_CODES)
    return found


def language_code(text: str, *, language: str = "") -> str | None:
    """Our code for a language named by ``text``: an ISO 639 code (two or three letters), its
    English name or its name in ``language`` (the staff member's); None if it names none."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    return _names_to_codes(language).get(wanted) or _names_to_codes("").get(wanted)


def language_label(code: str, *, language: str = "") -> str:
    """The English name of ``code``, followed by its name in ``language`` where pycountry has
    a different one ("Chechen (чеченский)"); an unknown code is shown as it is."""
    code = LEGACY_LANGUAGE_CODES.get(code, code)
    english = _language_names().get(code)
    if english is None:
        return code
    catalogue = _language_catalogue(language)
    local = catalogue.gettext(english) if catalogue is not None else english
    return english if local == english else f"{english} ({local})"


@functools.cache
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in countries())


def country_name(code: str) -> str:
    return dict(countries()).get(code.upper(), code)


def language_name(code: str) -> str:
    return _language_names().get(LEGACY_LANGUAGE_CODES.get(code, code), code)


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
