"""``{{ amount|money:currency }}``: minor units shown as an amount with its currency code."""

from __future__ import annotations

from django import template

from passage.funds.money import MoneyError, format_minor

register = template.Library()


@register.filter
def money(minor: object, currency: str) -> str:
    try:
        return format_minor(int(str(minor)), currency)
    except (MoneyError, ValueError):
        return "—"
