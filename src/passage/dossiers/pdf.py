"""Turning a filled-in letter into PDF with WeasyPrint, from our own HTML frame only.

The frame (``dossiers/letter_pdf.html``) is a normal Django template; the letter's text comes
in already escaped (``placeholders.fill``). Nothing is fetched: every URL is refused, so a
letter cannot reach the network or the disk. Text uses the system fonts (DejaVu covers Latin,
Cyrillic and Arabic), embedded in the PDF.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from passage.dossiers.models import LetterTemplate

RTL = {"ar", "fa", "he", "ur"}


class FetchRefused(Exception):
    pass


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise FetchRefused("letters load nothing")


def _quiet() -> None:
    """WeasyPrint logs its progress and warnings, which may quote the document: only errors."""
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)


def html(letter: LetterTemplate, body: SafeString) -> str:
    return render_to_string(
        "dossiers/letter_pdf.html",
        {
            "body": body,
            "language": letter.language,
            "direction": "rtl" if letter.language.split("-")[0] in RTL else "auto",
        },
    )


def render(letter: LetterTemplate, body: SafeString) -> bytes:
    _quiet()
    from weasyprint import HTML  # imported on use: it loads Pango, not needed elsewhere

    _quiet()  # after the import too, which sets its own levels
    document = HTML(string=html(letter, body), url_fetcher=_no_fetch, base_url=None)
    data = document.write_pdf()
    assert isinstance(data, bytes)  # noqa: S101 - write_pdf without a target returns bytes
    return data
