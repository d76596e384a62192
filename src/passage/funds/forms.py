"""Forms of the funds pages. Amounts are typed as decimal text and cleaned into integer minor
units of the fund's currency (``passage.funds.money``), never floats."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.funds import money
from passage.funds.models import BudgetLine, Disbursement, Fund
from passage.funds.services import MAX_NOTE, MAX_REFERENCE

DATE = forms.DateInput(attrs={"type": "date"})


def _amount_field(label: Any, help_text: Any = "", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=24,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _minor(form: forms.Form, name: str, currency: str) -> int | None:
    text = form.cleaned_data.get(name) or ""
    if not text:
        return None
    try:
        return money.parse(text, currency)
    except money.MoneyError as exc:
        raise forms.ValidationError(str(exc)) from None


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    programme = forms.CharField(
        label=_("Restricted programme"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the donors gave this money for. No personal data."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=money.CURRENCIES, initial="EUR")
    desk = forms.ModelChoiceField(
        label=_("Only for cases of this desk"),
        queryset=Desk.objects.all(),
        required=False,
        empty_label=_("Any desk"),
    )
    emergency = forms.BooleanField(
        label=_("The emergency fund"),
        required=False,
        help_text=_("Approved emergency help (before verification) is paid from it."),
    )
    four_eyes = _amount_field(
        _("Two approvers above"),
        _("Budget lines above this amount need two approvers. Empty: the organisation's rule."),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = data.get("currency")
        if currency and data.get("four_eyes"):
            try:
                data["four_eyes_minor"] = money.parse(data["four_eyes"], currency)
            except money.MoneyError as exc:
                self.add_error("four_eyes", str(exc))
        return data


class DepositForm(forms.Form):
    amount = _amount_field(_("Amount received"))
    on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fund = fund
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": fund.currency}

    def clean_amount(self) -> int | None:
        return _minor(self, "amount", self.fund.currency)


class FundChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.currency})"


class LineForm(forms.Form):
    fund = FundChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    category = forms.ChoiceField(label=_("For"), choices=BudgetLine.Category.choices)
    estimate = _amount_field(_("Estimate"), _("In the fund's currency."))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the estimate was made, for finance. Stored encrypted."),
    )

    def __init__(self, *args: Any, funds: list[Fund], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Fund.objects.filter(pk__in=[f.pk for f in funds])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fund = data.get("fund")
        if isinstance(fund, Fund) and data.get("estimate"):
            try:
                data["estimate_minor"] = money.parse(data["estimate"], fund.currency)
            except money.MoneyError as exc:
                self.add_error("estimate", str(exc))
        return data


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )


class DisburseForm(forms.Form):
    amount = _amount_field(_("Amount"), required=False)
    paid_currency = forms.ChoiceField(
        label=_("Paid in"),
        choices=money.CURRENCIES,
        help_text=_("Paid in another currency: give the rate used below."),
    )
    rate = forms.CharField(
        label=_("Rate used"),
        required=False,
        max_length=32,
        help_text=_("Units of the fund's currency for one unit paid, e.g. 0.0102."),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label=_("How"), choices=Disbursement.Method.choices)
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=MAX_REFERENCE,
        help_text=_("The transfer or receipt number. Stored encrypted."),
    )

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fund = fund
        self.fields["paid_currency"].initial = fund.currency
        self.fields["amount"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = data.get("paid_currency")
        if not currency or not data.get("amount"):
            return data
        try:
            data["paid"] = money.Money(money.parse(data["amount"], currency), currency)
        except money.MoneyError as exc:
            self.add_error("amount", str(exc))
            return data
        if currency != self.fund.currency:
            if not data.get("rate"):
                self.add_error("rate", _("Give the rate used to convert the payment."))
            else:
                try:
                    data["rate_decimal"] = money.parse_rate(data["rate"])
                except money.MoneyError as exc:
                    self.add_error("rate", str(exc))
        return data


class StipendForm(forms.Form):
    amount = _amount_field(_("Monthly amount"))
    first_due = forms.DateField(label=_("First payment"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Ends on"), widget=DATE, help_text=_("No payment is due after this date.")
    )
    method = forms.ChoiceField(label=_("How"), choices=Disbursement.Method.choices)

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fund = fund
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": fund.currency}

    def clean_amount(self) -> int | None:
        return _minor(self, "amount", self.fund.currency)


class EmergencyPayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label=_("How"), choices=Disbursement.Method.choices)
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=MAX_REFERENCE,
        help_text=_("The transfer or receipt number. Stored encrypted."),
    )
