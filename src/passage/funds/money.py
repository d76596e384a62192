"""Money as an integer of minor units and an ISO 4217 code: never a float.

``EXPONENTS`` lists the currencies we accept and their minor-unit exponents (ISO 4217; 2 unless
listed otherwise). ``parse`` turns what someone typed ("4500", "4 500,50", "4500.5") into minor
units, refusing more decimals than the currency has; ``format_minor`` shows minor units again.
A ``Conversion`` records a payment made in another currency with the rate used, as a Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext as _

# The currencies Passage deals in (where people are helped, where funds come from), with their
# ISO 4217 minor-unit exponents.
EXPONENTS: dict[str, int] = {
    "EUR": 2,
    "USD": 2,
    "GBP": 2,
    "CAD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "RUB": 2,
    "UAH": 2,
    "GEL": 2,
    "AMD": 2,
    "AZN": 2,
    "KZT": 2,
    "KGS": 2,
    "UZS": 2,
    "TRY": 2,
    "AUD": 2,
    "NZD": 2,
    "ILS": 2,
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "BHD": 3,
    "KWD": 3,
    "JOD": 3,
}
CURRENCIES: tuple[tuple[str, str], ...] = tuple((code, code) for code in sorted(EXPONENTS))
MAX_MINOR = 10**13  # ten billion units of a two-decimal currency: far beyond any real amount


class MoneyError(ValueError):
    """An amount or a currency that cannot be taken; ``str(exc)`` is safe to show."""


def exponent(currency: str) -> int:
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise MoneyError(_("This currency is not one we use.")) from None


def parse(text: str, currency: str) -> int:
    """Minor units of ``text`` (a plain decimal number) in ``currency``; positive only."""
    places = exponent(currency)
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if cleaned.count(".") > 1:
        raise MoneyError(_("Write the amount as a number, e.g. 4500 or 4500.50."))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(_("Write the amount as a number, e.g. 4500 or 4500.50.")) from None
    if not value.is_finite() or value <= 0:
        raise MoneyError(_("The amount must be more than zero."))
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and -exp > places:
        raise MoneyError(
            _("%(currency)s has %(places)d decimal places at most.")
            % {"currency": currency, "places": places}
        )
    minor = int(value.scaleb(places))
    if minor > MAX_MINOR:
        raise MoneyError(_("The amount is too large."))
    return minor


def format_minor(minor: int, currency: str) -> str:
    """``123456, "EUR"`` -> ``"1,234.56 EUR"`` (negative amounts keep their sign)."""
    places = exponent(currency)
    sign = "-" if minor < 0 else ""
    units, cents = divmod(abs(minor), 10**places)
    whole = f"{units:,}"
    return f"{sign}{whole}.{cents:0{places}d} {currency}" if places else f"{sign}{whole} {currency}"


@dataclass(frozen=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        exponent(self.currency)
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise MoneyError(_("Minor units are an integer."))

    def __str__(self) -> str:
        return format_minor(self.minor, self.currency)


def parse_rate(text: str) -> Decimal:
    """A conversion rate (units of the fund's currency for one unit paid), kept as typed."""
    try:
        rate = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise MoneyError(_("Write the rate as a number, e.g. 0.0102.")) from None
    if not rate.is_finite() or rate <= 0 or rate > Decimal(10**9):
        raise MoneyError(_("The rate must be a positive number."))
    return rate


def convert(paid: Money, rate: Decimal, to_currency: str) -> Money:
    """``paid`` at ``rate`` (to-currency units per paid unit), rounded half-even to the
    to-currency's minor unit."""
    major = Decimal(paid.minor).scaleb(-exponent(paid.currency)) * rate
    minor = major.scaleb(exponent(to_currency)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return Money(int(minor), to_currency)
