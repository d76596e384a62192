"""The posted form key of the drafts endpoints."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.drafts import keys


class FormKeyForm(forms.Form):
    passage_draft = forms.CharField(
        max_length=keys.MAX_KEY,
        error_messages={"required": _("This form does not keep drafts.")},
    )

    def clean_passage_draft(self) -> str:
        key = str(self.cleaned_data["passage_draft"])
        if keys.parse(key) is None:
            raise forms.ValidationError(_("This form does not keep drafts."))
        return key
