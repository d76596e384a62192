"""Language fields for the case forms: any ISO 639 language, typed by name or code.

A select of all ~7,000 living languages would weigh hundreds of kilobytes on a phone over Tor
and is no help to find one in; staff type names instead ("Chechen, Russian"), in English, in
their own language where pycountry has the names, or as ISO 639 codes ("ce", "kbd"). Values
posted as a list (one code per value, as a multiple select sends them) are accepted too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from passage.cases import choices

SEPARATORS = re.compile(r"[,;\n]+")
MAX_LANGUAGES = 20


class LanguagesInput(forms.TextInput):
    """A text input that shows codes as English names and reads one or several posted values."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, (list, tuple)):
            return ", ".join(choices.language_name(str(code)) for code in value)
        if isinstance(value, str) and value in choices.language_codes():
            return choices.language_name(value)
        return super().format_value(value)

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        if isinstance(data, MultiValueDict):
            values = [str(v) for v in data.getlist(name)]
            return ", ".join(values) if values else None
        return super().value_from_datadict(data, files, name)


def _codes(text: str) -> tuple[list[str], list[str]]:
    """The codes named in ``text`` and the parts that name no language."""
    found: list[str] = []
    unknown: list[str] = []
    staff_language = translation.get_language() or ""
    for part in SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        code = choices.language_code(part, language=staff_language)
        if code is None:
            unknown.append(part)
        elif code not in found:
            found.append(code)
    return found, unknown


def _unknown_error(unknown: list[str]) -> forms.ValidationError:
    return forms.ValidationError(
        _("No ISO 639 language is called %(names)s. Use its English name or its code.")
        % {"names": ", ".join(f"“{name[:40]}”" for name in unknown[:3])}
    )


class LanguagesField(forms.Field):
    """Several languages, as a list of our codes (see ``choices.languages``)."""

    widget = LanguagesInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _('Names in English or ISO 639 codes, separated by commas: "Chechen, Russian".'),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        found, unknown = _codes(str(value))
        if unknown:
            raise _unknown_error(unknown)
        if len(found) > MAX_LANGUAGES:
            raise forms.ValidationError(
                _("Give at most %(count)d languages.") % {"count": MAX_LANGUAGES}
            )
        return found

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [choices.LEGACY_LANGUAGE_CODES.get(str(v), str(v)) for v in value]
        return value


class LanguageField(LanguagesField):
    """One language, as our code ("" when not known)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _('Its English name or ISO 639 code: "Chechen" or "ce".'))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:  # type: ignore[override]
        found = super().to_python(value)
        if len(found) > 1:
            raise forms.ValidationError(_("Give one language only."))
        return found[0] if found else ""
