"""Forms of the contact log, notes and tasks: short, with sensible defaults, no JS needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.cases.forms.case import AssigneeChoice
from passage.casework.models import Contact

TEXT_WIDGET = forms.Textarea(attrs={"rows": 5})

# Quick choices for the next contact (days from today); "on" takes the day field.
NEXT_CHOICES = [
    ("", _("None planned")),
    ("1", _("Tomorrow")),
    ("3", _("In 3 days")),
    ("7", _("In a week")),
    ("on", _("On the day below")),
]


def end_of_day(day: dt.date) -> dt.datetime:
    """A due day as a moment: the end of that day (so it is not overdue during the day)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Contact.Channel.choices)
    direction = forms.ChoiceField(
        label=_("Who contacted whom"),
        choices=Contact.Direction.choices,
        widget=forms.RadioSelect,
        initial=Contact.Direction.INCOMING,
    )
    with_whom = forms.CharField(
        label=_("With whom"),
        required=False,
        max_length=200,
        help_text=_('E.g. "the person", "their sister". Stored encrypted.'),
    )
    summary = forms.CharField(
        label=_("What was said"),
        widget=TEXT_WIDGET,
        help_text=_(
            "A summary, or paste the conversation; then delete it from the phone. Stored encrypted."
        ),
        error_messages={"required": _("Write what was said, or paste the conversation.")},
    )
    happened_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    next_contact = forms.ChoiceField(
        label=_("Next contact due"),
        choices=NEXT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )
    next_contact_on = forms.DateField(
        label=_("Next contact on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("next_contact") or ""
        day = data.get("next_contact_on")
        if choice in {"1", "3", "7"}:
            if day is not None:
                self.add_error("next_contact_on", _("Choose a quick choice or a day, not both."))
            day = timezone.localdate() + dt.timedelta(days=int(choice))
        elif choice == "on" and day is None:
            self.add_error("next_contact_on", _("Give the day of the next contact."))
        data["next_contact_due"] = end_of_day(day) if day is not None else None
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=TEXT_WIDGET,
        help_text=_("Stored encrypted."),
        error_messages={"required": _("Write the note.")},
    )
    restricted = forms.BooleanField(
        label=_("Restricted"),
        required=False,
        help_text=_(
            "Only staff who work this case read it: not partners, not break-glass readers."
        ),
    )


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("What is to be done"),
        max_length=200,
        help_text=_("Stored encrypted."),
        error_messages={"required": _("Say what is to be done.")},
    )
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    assignee = AssigneeChoice(
        label=_("Who does it"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("Staff who work cases on this case's desk."),
    )

    def __init__(self, *args: Any, users: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in users or []]
        self.fields["assignee"].queryset = User.objects.filter(pk__in=ids).order_by("username")  # type: ignore[attr-defined]
