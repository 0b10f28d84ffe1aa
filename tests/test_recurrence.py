"""Next and latest occurrences across zones and daylight-saving changes (core/recurrence.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.recurrence import latest_occurrence, local_date, next_occurrence


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "after", "expected"),
    [
        ("Pacific/Kiritimati", utc(2026, 3, 2, 10), utc(2026, 3, 2, 19)),  # UTC+14
        ("Pacific/Pago_Pago", utc(2026, 3, 2, 10), utc(2026, 3, 2, 20)),  # UTC-11
        ("Asia/Kolkata", utc(2026, 3, 2, 10), utc(2026, 3, 3, 3, 30)),  # UTC+5:30
        ("America/Los_Angeles", utc(2026, 3, 2, 10), utc(2026, 3, 2, 17)),  # UTC-8
    ],
)
def test_daily_nine_in_zones_around_the_world(zone, after, expected):
    assert next_occurrence("09:00", "daily", zone, after) == expected


def test_local_date_across_the_date_line():
    instant = utc(2026, 3, 2, 19, 30)
    assert local_date(instant, "Pacific/Kiritimati") == date(2026, 3, 3)
    assert local_date(instant, "Pacific/Pago_Pago") == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("zone", "local_time", "after", "expected"),
    [
        # A time inside the spring-forward gap is sent just after it (03:30 local).
        ("Europe/Berlin", "02:30", utc(2026, 3, 28, 12), utc(2026, 3, 29, 1, 30)),
        ("America/New_York", "02:30", utc(2026, 3, 7, 12), utc(2026, 3, 8, 7, 30)),
        # A time that happens twice is due at its first occurrence.
        ("Europe/Berlin", "02:30", utc(2026, 10, 24, 12), utc(2026, 10, 25, 0, 30)),
        ("America/New_York", "01:30", utc(2026, 10, 31, 12), utc(2026, 11, 1, 5, 30)),
        # ... and not again at the second one: the next is the day after.
        ("Europe/Berlin", "02:30", utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)),
        ("America/New_York", "01:30", utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)),
    ],
)
def test_daylight_saving_days(zone, local_time, after, expected):
    assert next_occurrence(local_time, "daily", zone, after) == expected


def test_weekdays_only():
    monday_noon = utc(2026, 3, 2, 12)
    assert next_occurrence("18:00", "mon,thu", "UTC", monday_noon) == utc(2026, 3, 2, 18)
    assert next_occurrence("09:00", "mon,thu", "UTC", monday_noon) == utc(2026, 3, 5, 9)
    assert next_occurrence("09:00", "", "UTC", monday_noon) is None


def test_latest_occurrence_is_at_or_before():
    assert latest_occurrence("09:00", "daily", "UTC", utc(2026, 3, 5, 9)) == utc(2026, 3, 5, 9)
    assert latest_occurrence("09:00", "daily", "UTC", utc(2026, 3, 5, 8)) == utc(2026, 3, 4, 9)
    assert latest_occurrence("09:00", "mon", "UTC", utc(2026, 3, 5, 8)) == utc(2026, 3, 2, 9)
    # Fall back: after the second 02:30 in Berlin, the latest is still the first one.
    assert latest_occurrence("02:30", "daily", "Europe/Berlin", utc(2026, 10, 25, 1, 45)) == utc(
        2026, 10, 25, 0, 30
    )
