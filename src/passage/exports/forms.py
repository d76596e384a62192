"""Forms of the export pages: the filters of a redacted export, and a full export's request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.cases.models import SHAREABLE_SECTIONS
from passage.cases.workflow import Stage
from passage.exports import queries
from passage.exports.envelope import EnvelopeError, parse_key
from passage.exports.rows import Filters

DATE = forms.DateInput(attrs={"type": "date"})


class FiltersForm(forms.Form):
    desk = forms.ModelChoiceField(
        label=_("Desk"),
        queryset=Desk.objects.none(),
        required=False,
        empty_label=_("Every desk I work on"),
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    opened_from = forms.DateField(label=_("Opened on or after"), required=False, widget=DATE)
    opened_to = forms.DateField(label=_("Opened on or before"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = queries.desks_of(user)  # type: ignore[attr-defined]
        self.fields["stage"].choices = [("", _("Any stage")), *Stage.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it begins."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            desk=data.get("desk"),
            stage=data.get("stage") or "",
            opened_from=data.get("opened_from"),
            opened_to=data.get("opened_to"),
        )


class FullExportForm(FiltersForm):
    partner = forms.ModelChoiceField(
        label=_("Who receives it"),
        queryset=PartnerOrganisation.objects.none(),
        help_text=_(
            "Only cases whose person consented to giving the chosen parts to this "
            "organisation are exported."
        ),
    )
    sections = forms.MultipleChoiceField(
        label=_("Which parts of the cases"),
        choices=list(SHAREABLE_SECTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    public_key = forms.CharField(
        label=_("The recipient's public key"),
        max_length=200,
        help_text=_(
            "An X25519 public key in base64 (44 characters), made by the recipient with "
            "“python -m passage.exports.envelope keypair”. Only its private half opens the file."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        desk = self.fields["desk"]
        desk.required = True
        desk.empty_label = None  # type: ignore[attr-defined]
        self.fields["partner"].queryset = queries.recipients_for()  # type: ignore[attr-defined]
        self.fields["partner"].label_from_instance = lambda p: p.code  # type: ignore[attr-defined]

    def clean_public_key(self) -> str:
        text = str(self.cleaned_data.get("public_key") or "")
        try:
            parse_key(text)
        except EnvelopeError:
            raise forms.ValidationError(
                _("Give an X25519 public key in base64 (44 characters).")
            ) from None
        return text.strip()
