"""The admin form of a letter template; the body's placeholders are checked next to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import PartnerOrganisation
from passage.cases.exceptions import InvalidInput
from passage.dossiers import placeholders
from passage.dossiers.services.templates import BODY_MAX, CODE_MAX, NAME_MAX, PATHWAY_MAX


class TemplateForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=CODE_MAX,
        help_text=_("Short, e.g. unhcr-referral. It names the PDF file; fixed once created."),
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    recipient_kind = forms.ChoiceField(label=_("Goes to"), choices=PartnerOrganisation.Kind.choices)
    language = forms.ChoiceField(label=_("Language of the letter"), choices=settings.LANGUAGES)
    pathway_kind = forms.CharField(
        label=_("Pathway (optional)"),
        max_length=PATHWAY_MAX,
        required=False,
        help_text=_("The code of the pathway kind this letter is for, if one."),
    )
    body = forms.CharField(
        label=_("Text of the letter"),
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = ", ".join("{{ " + name + " }}" for name in placeholders.PLACEHOLDERS)
        self.fields["body"].help_text = _(
            "Plain text; a blank line starts a paragraph. Placeholders: %(names)s. Nothing else "
            "in braces is allowed."
        ) % {"names": names}
        if creating:
            del self.fields["active"]
        else:
            del self.fields["code"]

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        try:
            placeholders.check(body)
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc)) from None
        return body
