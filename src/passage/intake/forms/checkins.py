"""The mailbox's check-in forms: one word to check in, two words to choose."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.intake.checkins import MAX_WORD_CHARS

_WORD_ATTRS = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}


class CheckinForm(forms.Form):
    word = forms.CharField(
        label=_("Your check-in word"),
        help_text=_("The word you agreed with us. It tells us you are all right."),
        max_length=MAX_WORD_CHARS,
        widget=forms.TextInput(attrs=_WORD_ATTRS),
    )


class WordsForm(forms.Form):
    checkin_word = forms.CharField(
        label=_("Check-in word"),
        help_text=_("Type it each time you check in."),
        max_length=MAX_WORD_CHARS,
        widget=forms.TextInput(attrs=_WORD_ATTRS),
    )
    duress_word = forms.CharField(
        label=_("Warning word"),
        help_text=_(
            "If you are ever made to check in against your will, type this word instead. "
            "Nothing here will look different, but we will know."
        ),
        max_length=MAX_WORD_CHARS,
        widget=forms.TextInput(attrs=_WORD_ATTRS),
    )
