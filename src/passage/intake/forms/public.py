"""Public forms. Every field says why it is asked; errors are in the page's language."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from passage.cases.choices import countries_in
from passage.cases.models import Case
from passage.intake.payloads import Story
from passage.intake.words import public_languages

URGENCY_CHOICES = [
    (Case.Urgency.IMMEDIATE, _("I am in danger now")),
    (Case.Urgency.DAYS, _("I need help within days")),
    (Case.Urgency.WEEKS, _("I need help, but not this week")),
    (Case.Urgency.UNKNOWN, _("I am not sure")),
]

CONTACT_CHOICES = [
    ("", _("Only through the mailbox")),
    ("signal", _("Signal")),
    ("whatsapp", _("WhatsApp")),
    ("telegram", _("Telegram")),
    ("phone", _("Phone call")),
]

SITUATION_CHOICES = [
    ("detained", _("I was detained or held by police or others")),
    ("violence", _("I was beaten, tortured or hurt")),
    ("sought", _("The authorities are looking for me")),
    ("family", _("My family threatens me or found out about me")),
    ("outed", _("My private life was exposed or I am being blackmailed")),
    ("health", _("I need medical care or medicines")),
    ("dependants", _("I have children or others who depend on me")),
]

PASSPORT_CHOICES = [
    ("yes", _("Yes, a valid passport")),
    ("expired", _("It has expired or was taken")),
    ("no", _("No")),
    ("unknown", _("I prefer not to say")),
]


class _BuiltChoices(BaseChoiceIterator):
    """Choices already in Django's normal form. A plain list assigned to a field is normalised
    again on every form (249 countries, each a lazy string: ~9% of a help request's CPU)."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@functools.cache
def _country_choices(language: str) -> _BuiltChoices:
    # Called with ``language`` active, so the placeholder is in that language too.
    return _BuiltChoices([("", str(_("Choose a country"))), *countries_in(language)])


class FirstStepForm(forms.Form):
    """Three questions, so a dropped connection loses little and a codename comes at once."""

    country = forms.ChoiceField(
        label=_("Which country are you in now?"),
        help_text=_("So the right team reads your request."),
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        help_text=_("We read every request; this helps us plan."),
        choices=URGENCY_CHOICES,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Which language should we reply in?"),
        help_text=_("Our replies will be in this language."),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.fields["country"].choices = _country_choices(language)  # type: ignore[attr-defined]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, name) for code, name in settings.LANGUAGES if code in public_languages()
        ]
        self.fields["language"].initial = language


class StoryForm(forms.Form):
    name = forms.CharField(
        label=_("What name should we use for you?"),
        help_text=_("Any name you like; it does not have to be the one in your passport."),
        max_length=100,
        required=False,
    )
    contact_kind = forms.ChoiceField(
        label=_("How can we reach you safely?"),
        help_text=_(
            "Choose a messenger only if nobody else reads it. If you are not sure, "
            "choose the mailbox."
        ),
        choices=CONTACT_CHOICES,
        required=False,
    )
    contact_value = forms.CharField(
        label=_("Your number or username on that messenger"),
        help_text=_("We never share it."),
        max_length=100,
        required=False,
    )
    region = forms.CharField(
        label=_("Which region or city are you in?"),
        help_text=_("A region is enough; do not give an address."),
        max_length=100,
        required=False,
    )
    situations = forms.MultipleChoiceField(
        label=_("Does any of this apply to you?"),
        help_text=_("Tick what applies, so you do not have to write it all out."),
        choices=SITUATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("In your own words, as much or as little as you want. It helps us understand."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        required=False,
    )
    fears = forms.CharField(
        label=_("What are you afraid of now?"),
        help_text=_("It helps us judge how soon to act."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )
    passport = forms.ChoiceField(
        label=_("Do you have a passport for travel abroad?"),
        help_text=_("Some ways out need one."),
        choices=PASSPORT_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    people = forms.IntegerField(
        label=_("How many people need help, counting you?"),
        help_text=_("Partners or children with you. No names here."),
        min_value=1,
        max_value=30,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact_kind") and not (data.get("contact_value") or "").strip():
            self.add_error(
                "contact_value", _("Give the number or username, or choose the mailbox.")
            )
        return data

    def story(self) -> Story:
        data = self.cleaned_data
        return Story(
            name=(data.get("name") or "").strip(),
            contact_kind=data.get("contact_kind") or "",
            contact_value=(data.get("contact_value") or "").strip()
            if data.get("contact_kind")
            else "",
            region=(data.get("region") or "").strip(),
            happened=data.get("happened") or "",
            fears=data.get("fears") or "",
            situations=list(data.get("situations") or []),
            passport=data.get("passport") or "",
            people=data.get("people"),
        )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        required=False,
    )


class SignInForm(forms.Form):
    codename = forms.CharField(
        label=_("Your codename"),
        help_text=_("The words you were given, in order, with spaces between them."),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
