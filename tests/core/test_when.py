"""The ``when`` filter: dates as staff read them, "3 days ago (12 Apr 2017)"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.core.templatetags.passage_ui import when


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (dt.timedelta(seconds=5), "just now"),
        (dt.timedelta(minutes=5, seconds=2), "5 minutes ago"),
        (dt.timedelta(hours=1, minutes=1), "1 hour ago"),
        (dt.timedelta(days=3, minutes=1), "3 days ago"),
        (dt.timedelta(days=65), "2 months ago"),
        (dt.timedelta(days=800), "2 years ago"),
        (-dt.timedelta(days=2, minutes=1), "in 2 days"),
    ],
)
def test_relative_part(before: dt.timedelta, expected: str) -> None:
    moment = timezone.now() - before  # taken when the test runs, not when it is collected
    day = timezone.localtime(moment).date()
    assert when(moment) == f"{expected} ({day.day} {day:%b} {day.year})"


def test_dates_and_nothing() -> None:
    today = timezone.localdate()
    assert when(today).startswith("today (")
    assert when(today - dt.timedelta(days=1)).startswith("1 day ago (")
    assert when(dt.date(2017, 4, 12)).endswith("(12 Apr 2017)")
    assert when(None) == "—"
