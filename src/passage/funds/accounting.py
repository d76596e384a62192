"""The bookkeeper's CSV: money by fund, month, kind and category, and nothing else.

No case reference, no person, no payment reference, no note: one row per fund, month
(``YYYY-MM`` of the payment or deposit date), kind (deposit or disbursement) and category (of
the budget line; empty for deposits), with the total in the fund's currency (a decimal string
from the integer minor units) and how many entries it sums. Cells that a spreadsheet would take
for a formula (a fund named "=...") are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

from passage.funds.models import FundEntry
from passage.funds.money import exponent

HEADER = ("fund", "currency", "month", "kind", "category", "amount", "entries")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _amount(minor: int, currency: str) -> str:
    places = exponent(currency)
    return f"{Decimal(minor).scaleb(-places):.{places}f}"


def rows() -> list[tuple[str, ...]]:
    totals: dict[tuple[str, str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    entries = FundEntry.objects.select_related("fund", "disbursement__line").order_by()
    for entry in entries:
        category = ""
        if entry.disbursement is not None:
            category = entry.disbursement.line.category
        key = (
            entry.fund.name,
            entry.fund.currency,
            entry.on.strftime("%Y-%m"),
            entry.kind,
            category,
        )
        totals[key][0] += abs(int(entry.amount))
        totals[key][1] += 1
    return [
        (_cell(fund), currency, month, kind, category, _amount(total, currency), str(count))
        for (fund, currency, month, kind, category), (total, count) in sorted(totals.items())
    ]


def as_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return out.getvalue().encode("utf-8")
