"""The document form: short, every field but kind and status optional, no JS needed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.cases.models import Person
from passage.documents.models import PersonDocument
from passage.documents.services.documents import DocumentDetails


def person_label(person: Person, position: int) -> str:
    name = person.chosen_name or ""
    return name or str(_("Person %(number)d") % {"number": position})


class DocumentForm(forms.Form):
    person = forms.ChoiceField(label=_("Whose document"))
    kind = forms.ChoiceField(label=_("Kind of document"), choices=PersonDocument.Kind.choices)
    status = forms.ChoiceField(
        label=_("Where it stands"),
        choices=PersonDocument.Status.choices,
        widget=forms.RadioSelect,
        initial=PersonDocument.Status.MISSING,
    )
    number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=200,
        help_text=_("Stored encrypted."),
    )
    issuing_country = forms.CharField(
        label=_("Issuing country"),
        required=False,
        max_length=2,
        help_text=_("Two-letter code, e.g. RU, KZ, CA. Stored encrypted."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 3}),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The case's caseworker is reminded 60, 30 and 7 days before."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. where it is kept, what is needed to get it. Stored encrypted."),
    )

    def __init__(self, *args: Any, people: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            field = cast(forms.ChoiceField, self.fields["person"])
            field.choices = [(str(p.pk), person_label(p, n)) for n, p in enumerate(people, start=1)]

    def details(self) -> DocumentDetails:
        data = self.cleaned_data
        return DocumentDetails(
            kind=data["kind"],
            status=data["status"],
            number=data["number"],
            issuing_country=data["issuing_country"],
            expires_on=data["expires_on"],
            notes=data["notes"],
        )

    @classmethod
    def initial_of(cls, document: PersonDocument) -> dict[str, Any]:
        return {
            "kind": document.kind,
            "status": document.status,
            "number": document.number or "",
            "issuing_country": document.issuing_country or "",
            "expires_on": document.expires_on,
            "notes": document.notes or "",
        }
