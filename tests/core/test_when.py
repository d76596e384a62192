"""The ``when`` filter: dates as staff read them, "3 days ago (12 Apr 2017)"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.core.templatetags.passage_ui import when


def ago(**delta: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (ago(seconds=5), "just now"),
        (ago(minutes=5, seconds=2), "5 minutes ago"),
        (ago(hours=1, minutes=1), "1 hour ago"),
        (ago(days=3, minutes=1), "3 days ago"),
        (ago(days=65), "2 months ago"),
        (ago(days=800), "2 years ago"),
        (ago(days=-2, minutes=-1), "in 2 days"),
    ],
)
def test_relative_part(moment: dt.datetime, expected: str) -> None:
    day = timezone.localtime(moment).date()
    assert when(moment) == f"{expected} ({day.day} {day:%b} {day.year})"


def test_dates_and_nothing() -> None:
    today = timezone.localdate()
    assert when(today).startswith("today (")
    assert when(today - dt.timedelta(days=1)).startswith("1 day ago (")
    assert when(dt.date(2017, 4, 12)).endswith("(12 Apr 2017)")
    assert when(None) == "—"
