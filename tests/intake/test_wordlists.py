"""The codename word lists in src/passage/intake/wordlists/ and the script that builds them.

Each list must hold exactly 7,776 distinct, common words in the requester's own script, easy to
type on a phone and free of words that could frighten, shame or reveal the purpose of the
codename; and scripts/build_wordlists.py must reproduce the committed files exactly.
"""

# The expected words and letters below are Cyrillic, Arabic and Persian by design.
# ruff: noqa: RUF001

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORDLISTS = ROOT / "src" / "passage" / "intake" / "wordlists"
SCRIPT = ROOT / "scripts" / "build_wordlists.py"
LANGS = ("en", "fr", "es", "ru", "ar", "fa")
SIZE = 7776
LENGTHS = {"en": (3, 10), "fr": (3, 10), "es": (3, 10), "ru": (3, 10), "ar": (3, 8), "fa": (3, 8)}

# Letters that are Arabic-script but belong to the other language (Persian-only letters in
# Arabic, Arabic-only forms in Persian), and Latin letters with accents allowed per language.
PERSIAN_ONLY = set("پچژگکی")
ARABIC_ONLY = set("يكة")
LATIN_ACCENTED = {"en": "", "fr": "àâäçéèêëîïôöùûüÿ", "es": "áéíóúüñ"}

# A few words per language that must never appear, whatever else the stoplists hold: sexuality
# and gender identity, police and prison, violence and death, sex and profanity, flight.
FORBIDDEN = {
    "en": "gay lesbian queer trans sex police prison torture kill dead death rape refugee visa"
    " passport border asylum fuck",
    "fr": "gay gai lesbienne pédé homosexuel trans sexe police prison torture mort tuer viol"
    " réfugié asile visa merde putain",
    "es": "gay lesbiana maricón homosexual trans sexo policía cárcel tortura muerte matar"
    " violación refugiado asilo visa mierda puta",
    "ru": "гей геи лесбиянка пидор педик гомосексуалист транс секс полиция тюрьма пытка смерть"
    " убийство изнасилование беженец убежище виза паспорт граница чечня кадыров",
    "ar": "مثلي شاذ لوطي جنس شرطة سجن تعذيب قتل موت اغتصاب لاجئ لجوء تأشيرة جواز حدود",
    "fa": "همجنسگرا لزبین جنسی سکس پلیس زندان شکنجه اعدام قتل مرگ تجاوز پناهنده ویزا پاسپورت مرز",
}


def load_builder() -> ModuleType:
    """scripts/build_wordlists.py, imported as a module (importing it writes nothing)."""
    spec = importlib.util.spec_from_file_location("build_wordlists", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


builder = cache(load_builder)


@cache
def raw(lang: str) -> str:
    return (WORDLISTS / f"{lang}.txt").read_bytes().decode("utf-8")


@cache
def words(lang: str) -> tuple[str, ...]:
    return tuple(raw(lang).split("\n")[:-1])


def in_script(lang: str, ch: str) -> bool:
    """Whether `ch` is a letter of `lang`'s own script, judged by its Unicode name."""
    name = unicodedata.name(ch, "")
    if lang in LATIN_ACCENTED:
        return ("a" <= ch <= "z") or ch in LATIN_ACCENTED[lang]
    if lang == "ru":
        # Lower-case Cyrillic of the Russian alphabet; ё is excluded by design.
        return name.startswith("CYRILLIC SMALL LETTER ") and "а" <= ch <= "я"
    if not name.startswith("ARABIC LETTER ") or unicodedata.category(ch) != "Lo":
        return False  # harakat (Mn), tatweel (Lm), digits, ZWNJ, Latin...
    if lang == "ar":
        return ch not in PERSIAN_ONLY and "\u0621" <= ch <= "\u064a"
    return ch not in ARABIC_ONLY


@pytest.mark.parametrize("lang", LANGS)
def test_file_is_one_nfc_word_a_line(lang: str) -> None:
    text = raw(lang)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\ufeff" not in text
    lines = words(lang)
    assert len(lines) == SIZE
    assert len(set(lines)) == SIZE, [w for w, n in Counter(lines).items() if n > 1][:10]
    assert list(lines) == sorted(lines)
    for word in lines:
        assert word == unicodedata.normalize("NFC", word), word
        assert word == word.strip() and not any(ch.isspace() for ch in word), repr(word)
        assert word == word.lower(), word


@pytest.mark.parametrize("lang", LANGS)
def test_only_letters_of_the_languages_script(lang: str) -> None:
    low, high = LENGTHS[lang]
    bad = [w for w in words(lang) if not all(in_script(lang, ch) for ch in w)]
    assert not bad, bad[:20]
    wrong_length = [w for w in words(lang) if not low <= len(w) <= high]
    assert not wrong_length, wrong_length[:20]


def test_russian_has_no_yo_and_arabic_script_lists_no_diacritics() -> None:
    assert not [w for w in words("ru") if "ё" in w]
    for lang in ("ar", "fa"):
        marks = [w for w in words(lang) if any(unicodedata.category(ch) == "Mn" for ch in w)]
        assert not marks, marks[:10]
        assert not [w for w in words(lang) if "\u0640" in w or "\u200c" in w]


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_words_collide_once_normalised(lang: str) -> None:
    def simple(word: str) -> str:
        word = unicodedata.normalize("NFC", word).lower()
        return word.replace("ё", "е") if lang == "ru" else word

    for key in (simple, lambda w: builder().fold(lang, w)):
        keys = Counter(key(w) for w in words(lang))
        assert len(keys) == SIZE, [k for k, n in keys.items() if n > 1][:10]


@pytest.mark.parametrize("lang", LANGS)
def test_one_form_per_stem(lang: str) -> None:
    stems = Counter(builder().stem(lang, w) for w in words(lang))
    assert len(stems) == SIZE, [k for k, n in stems.items() if n > 1][:10]


@pytest.mark.parametrize("lang", LANGS)
def test_stoplisted_words_are_absent(lang: str) -> None:
    listed = {builder().fold(lang, w) for w in words(lang)}
    forbidden = FORBIDDEN[lang].split()
    assert not [w for w in forbidden if builder().fold(lang, w) in listed]
    # The hand-kept examples above are in the script's stoplists too, and no listed word is.
    assert all(builder().is_stopped(lang, w) for w in forbidden)
    assert not [w for w in words(lang) if builder().is_stopped(lang, w)][:10]


def test_stoplist_entries_match_inflections_and_prefixes() -> None:
    b = builder()
    assert b.is_stopped("ru", "тюрьмы") and b.is_stopped("ru", "полицейский")
    assert b.is_stopped("fr", "prisonnier") and b.is_stopped("fr", "Pédé")
    assert b.is_stopped("es", "muertos") and b.is_stopped("es", "policias")
    assert b.is_stopped("ar", "سجون") and b.is_stopped("fa", "زندانی")
    assert not b.is_stopped("en", "transport") and not b.is_stopped("ru", "дом")


@pytest.mark.parametrize("lang", LANGS)
def test_build_reproduces_the_committed_file(lang: str) -> None:
    # Needs the dev dependencies wordfreq and xkcdpass; a failure after upgrading either one
    # means the list changed: rerun scripts/build_wordlists.py and review the diff.
    built = builder().build(lang)
    assert builder().render(built) == raw(lang)


def test_importing_the_script_writes_nothing() -> None:
    before = {p: p.stat().st_mtime_ns for p in WORDLISTS.glob("*.txt")}
    load_builder()
    assert {p: p.stat().st_mtime_ns for p in WORDLISTS.glob("*.txt")} == before
    assert builder().LANGS == LANGS and builder().SIZE == SIZE
