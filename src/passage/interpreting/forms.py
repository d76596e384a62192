"""Forms of interpreting: giving a case an interpreter, and writing a translation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.cases.forms.languages import LanguageField, LanguagesField


class AssignForm(forms.Form):
    interpreter = forms.ChoiceField(
        label=_("Interpreter"),
        help_text=_(
            "They will see the story, the mailbox messages and the contact log of this case, "
            "nothing else, until you end their work on it."
        ),
    )
    languages = LanguagesField(
        label=_("Languages"),
        help_text=_(
            "The languages they interpret on this case: names in English or ISO 639 codes, "
            'separated by commas ("Chechen, Russian").'
        ),
    )

    def __init__(self, *args: Any, interpreters: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interpreter"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an interpreter")),
            *[(str(user.pk), user.username) for user in interpreters],
        ]


class TranslationForm(forms.Form):
    language = LanguageField(label=_("Translated into"))
    text = forms.CharField(
        label=_("Translation"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Translate here, never in an online service. Stored encrypted."),
    )

    def __init__(self, *args: Any, fixed_language: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_language:
            del self.fields["language"]
