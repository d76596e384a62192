from __future__ import annotations

from decimal import Decimal

import pytest

from passage.funds import money


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("4500", "EUR", 450_000),
        ("4 500,50", "EUR", 450_050),
        ("0.01", "EUR", 1),
        ("1500", "JPY", 1500),
        ("1.234", "KWD", 1234),
    ],
)
def test_amounts_become_integer_minor_units(text: str, currency: str, minor: int) -> None:
    value = money.parse(text, currency)
    assert value == minor
    assert isinstance(value, int)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("0.001", "EUR"),
        ("1.5", "JPY"),
        ("-3", "EUR"),
        ("0", "EUR"),
        ("abc", "EUR"),
        ("1.2.3", "EUR"),
        ("NaN", "EUR"),
        ("Infinity", "EUR"),
        ("1e20", "EUR"),
        ("10", "XXX"),
    ],
)
def test_bad_amounts_are_refused(text: str, currency: str) -> None:
    with pytest.raises(money.MoneyError):
        money.parse(text, currency)


def test_formatting_follows_the_currency_exponent() -> None:
    assert money.format_minor(123_456, "EUR") == "1,234.56 EUR"
    assert money.format_minor(-5, "EUR") == "-0.05 EUR"
    assert money.format_minor(1500, "JPY") == "1,500 JPY"
    assert str(money.Money(1234, "KWD")) == "1.234 KWD"


def test_conversion_uses_the_rate_and_rounds_half_even() -> None:
    paid = money.Money(1_000_000, "RUB")  # 10,000.00 RUB
    assert money.convert(paid, Decimal("0.0102"), "EUR") == money.Money(10_200, "EUR")
    # 0.05 EUR * 0.5 = 0.025 -> 0.02 (half to even), never a float's 0.025000000000000001
    assert money.convert(money.Money(5, "EUR"), Decimal("0.5"), "EUR").minor == 2
    assert money.convert(money.Money(1000, "JPY"), Decimal("0.0061"), "EUR").minor == 610


def test_a_rate_is_a_positive_decimal() -> None:
    assert money.parse_rate("0,0102") == Decimal("0.0102")
    for bad in ("0", "-1", "x", "NaN"):
        with pytest.raises(money.MoneyError):
            money.parse_rate(bad)
