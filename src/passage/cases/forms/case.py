"""Forms for opening a case, a person's details, contact channels, the story, moves and
assignment. Forms check shapes and say why each field is asked; the rules live in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, User
from passage.cases import categories, choices
from passage.cases.forms.languages import LanguageField, LanguagesField
from passage.cases.forms.widgets import CheckboxGroup
from passage.cases.models import Case, ContactChannel
from passage.cases.priority import FACTORS
from passage.cases.services.people import ChannelDetails, PersonDetails
from passage.cases.workflow import Stage

CHANNEL_ROWS = 3
CLOSING = {"relocated", "settled", "safe_locally", "withdrew", "lost", "other"}


def _country_choices() -> list[tuple[str, object]]:
    return [("", _("Not known")), *choices.countries()]


class PersonFields(forms.Form):
    """What we know of one person; every field optional except where a form says otherwise."""

    chosen_name = forms.CharField(
        label=_("Name they want to be called"),
        max_length=200,
        required=False,
        help_text=_("Shown to staff who work the case. Not necessarily the legal name."),
    )
    pronouns = forms.CharField(
        label=_("Pronouns"),
        max_length=60,
        required=False,
        help_text=_("So we address them as they wish, e.g. she/her, he/him, they/them."),
    )
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        required=False,
        help_text=_("As on their documents; needed for visas and tickets. Kept apart."),
    )
    aliases = forms.CharField(
        label=_("Other names and spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: other spellings (Cyrillic, Latin), previous names."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Helps find the same person asking twice."),
    )
    age_years = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("If the date of birth is not known."),
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        help_text=_(
            "Languages they speak, so we can reply and interpret: names in English or ISO 639 "
            'codes, separated by commas ("Chechen, Russian").'
        ),
    )
    gender_identity = forms.CharField(
        label=_("Gender identity"),
        max_length=200,
        required=False,
        help_text=_("Only as they describe it themselves; leave empty if they did not say."),
    )
    sexual_orientation = forms.CharField(
        label=_("Sexual orientation"),
        max_length=200,
        required=False,
        help_text=_("Only as they describe it themselves; leave empty if they did not say."),
    )
    # The coarse categories reports count by (cases.categories), as the person chose them.
    gender_category = forms.ChoiceField(
        label=_("Gender identity: category"),
        choices=[("", _("Not recorded")), *categories.GenderCategory.choices],
        required=False,
        help_text=_(
            "The category the person chose for themselves, if they agreed to give one. Reports "
            "count by it; it is stored encrypted."
        ),
    )
    orientation_category = forms.ChoiceField(
        label=_("Sexual orientation: category"),
        choices=[("", _("Not recorded")), *categories.OrientationCategory.choices],
        required=False,
        help_text=_(
            "The category the person chose for themselves, if they agreed to give one. Reports "
            "count by it; it is stored encrypted."
        ),
    )
    current_location = forms.CharField(
        label=_("Precise location"),
        max_length=300,
        required=False,
        help_text=_("Only if it is needed to help. Stored encrypted."),
    )
    health_needs = forms.CharField(
        label=_("Health needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Medication, treatment or care that affects planning."),
    )
    protection_needs = forms.CharField(
        label=_("Protection needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who they must be kept away from, what must not happen."),
    )

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            chosen_name=data.get("chosen_name", ""),
            pronouns=data.get("pronouns", ""),
            legal_name=data.get("legal_name", ""),
            aliases=[line for line in data.get("aliases", "").splitlines() if line.strip()],
            birth_date=data.get("birth_date"),
            age_years=data.get("age_years"),
            nationality=data.get("nationality", ""),
            languages=list(data.get("languages") or []),
            gender_identity=data.get("gender_identity", ""),
            sexual_orientation=data.get("sexual_orientation", ""),
            gender_category=data.get("gender_category", ""),
            orientation_category=data.get("orientation_category", ""),
            current_location=data.get("current_location", ""),
            health_needs=data.get("health_needs", ""),
            protection_needs=data.get("protection_needs", ""),
            relationship=data.get("relationship", ""),
        )

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("birth_date")
        if value is not None and value > dt.date.today():  # noqa: DTZ011 -- a calendar date
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    @staticmethod
    def initial_from(details: PersonDetails) -> dict[str, Any]:
        return {
            "chosen_name": details.chosen_name,
            "pronouns": details.pronouns,
            "legal_name": details.legal_name,
            "aliases": "\n".join(details.aliases),
            "birth_date": details.birth_date,
            "age_years": details.age_years,
            "nationality": details.nationality,
            "languages": details.languages,
            "gender_identity": details.gender_identity,
            "sexual_orientation": details.sexual_orientation,
            "gender_category": details.gender_category,
            "orientation_category": details.orientation_category,
            "current_location": details.current_location,
            "health_needs": details.health_needs,
            "protection_needs": details.protection_needs,
            "relationship": details.relationship,
        }


class HouseholdMemberForm(PersonFields):
    relationship = forms.CharField(
        label=_("Relationship"),
        max_length=100,
        help_text=_("To the person who asked for help: partner, child, parent..."),
        error_messages={"required": _("Say how they are related.")},
    )


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Channel"), choices=ContactChannel.Kind.choices, required=False
    )
    value = forms.CharField(
        label=_("Number or handle"),
        max_length=200,
        required=False,
        help_text=_("With the country code for phone numbers, e.g. +7 928 123 45 67."),
    )
    note = forms.CharField(
        label=_("How to use it safely"),
        max_length=300,
        required=False,
        help_text=_("E.g. only after 20:00; never leave voice messages."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("value") and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the channel."))
        return cleaned


def channel_formset(
    data: Any = None, initial: list[dict[str, str]] | None = None
) -> forms.BaseFormSet[ChannelForm]:
    rows = list(initial or [])
    extra = max(CHANNEL_ROWS - len(rows), 1)
    factory = forms.formset_factory(ChannelForm, extra=extra, max_num=10, absolute_max=10)
    return factory(data, initial=rows, prefix="channels")


def channels_from(formset: forms.BaseFormSet[ChannelForm]) -> list[ChannelDetails]:
    found = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("value"):
            found.append(ChannelDetails(kind=data["kind"], value=data["value"], note=data["note"]))
    return found


class CaseFacts(forms.Form):
    """Where the person is, how urgent it is, who travels, and what happened: the operational
    facts of a new case (plain, except the story) shared by staff entry and partner referral."""

    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Case.Urgency.choices)
    country = forms.ChoiceField(
        label=_("Country they are in now"),
        choices=_country_choices,
        required=False,
        help_text=_("Stored without encryption for triage and campaigns: the country only."),
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=80,
        required=False,
        help_text=_("A coarse region (e.g. Chechnya), never a town or an address."),
    )
    reply_language = LanguageField(label=_("Language for replies"), required=False)
    household_size = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=30,
        initial=1,
        help_text=_("Everyone who would travel together, the person included."),
    )
    narrative = forms.CharField(
        label=_("What happened and what they fear"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In their words where possible; only what is needed. Stored encrypted."),
    )

    def __init__(self, *args: Any, desks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks if desks is not None else Desk.objects.none()  # type: ignore[attr-defined]
        self.fields["chosen_name"].required = True
        self.fields["chosen_name"].error_messages["required"] = _("Give a name we can use.")

    def facts(self) -> dict[str, Any]:
        """The keyword arguments the opening services take for these fields."""
        return {name: self.cleaned_data[name] for name in CaseFacts.base_fields}


class CaseOpenForm(PersonFields, CaseFacts):
    """A staff member opens a case: where, how urgent, and who (the principal)."""

    desk = forms.ModelChoiceField(
        label=_("Desk"),
        queryset=Desk.objects.none(),
        empty_label=None,
        help_text=_("The compartment whose staff will work the case."),
    )
    field_order = ["desk", *CaseFacts.base_fields]


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("What happened and what they fear"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("In their words where possible. Stored encrypted."),
    )


class TransitionForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when moving back, pausing, closing, declining or referring out. Stored "
            "encrypted; shown in the timeline."
        ),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=lambda: [("", _("—")), *[c for c in Case.Outcome.choices if c[0] in CLOSING]],
        help_text=_("When closing: how the case ended."),
    )

    def __init__(self, *args: Any, targets: list[Stage] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s.value, s.label) for s in targets or []]  # type: ignore[attr-defined]


class AssigneeChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.username)


class AssignForm(forms.Form):
    assignee = AssigneeChoice(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        help_text=_("Staff who work cases on this case's desk."),
    )

    def __init__(self, *args: Any, users: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in users or []]
        self.fields["assignee"].queryset = User.objects.filter(pk__in=ids).order_by("username")  # type: ignore[attr-defined]


class FactorsForm(forms.Form):
    factors = forms.MultipleChoiceField(
        label=_("What applies"),
        required=False,
        widget=CheckboxGroup,
        choices=[(f.code, f"{f.label} (+{f.points})") for f in FACTORS],
        help_text=_("Each ticked factor adds its points to the score. Stored encrypted."),
    )


class OverrideForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=())
    reason = forms.CharField(
        label=_("Why the level differs from the score"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to set a level by hand; recorded and shown on the case."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from passage.cases.priority import Level

        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            ("", _("Use the computed level")),
            *[(str(level.value), level.label) for level in reversed(Level)],
        ]
