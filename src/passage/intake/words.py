"""The codename word lists (built by scripts/build_wordlists.py; see wordlists/README.md)."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from passage.crypto.codename import WordList

WORDLIST_DIR = Path(__file__).resolve().parent / "wordlists"


def public_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@functools.cache
def wordlist(language: str) -> WordList:
    """The 7,776 words for ``language`` (English for a language we have no list for)."""
    if language not in public_languages():
        language = "en"
    text = (WORDLIST_DIR / f"{language}.txt").read_text(encoding="utf-8")
    return WordList(line for line in text.splitlines() if line)
