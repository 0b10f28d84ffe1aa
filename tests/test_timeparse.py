"""Reading typed times, days and time zones (core/timeparse.py)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.crisis import zone_countries
from core.timeparse import describe_zone, parse_time, parse_weekdays, resolve_zone

ALIASES = tomllib.loads(
    (Path(__file__).parents[1] / "core" / "content" / "zone_aliases.toml").read_text()
)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("UTC+5:30", "Asia/Kolkata"),
        ("+5:30", "Asia/Kolkata"),
        ("+05:30", "Asia/Kolkata"),
        ("utc + 5:30", "Asia/Kolkata"),
        ("+05:45", "Asia/Kathmandu"),
        ("UTC+9:30", "Australia/Darwin"),
        ("-3:30", "America/St_Johns"),
        ("GMT+3:30", "Asia/Tehran"),
        ("UTC+2", "Etc/GMT-2"),
        ("UTC+02:00", "Etc/GMT-2"),
        ("utc-5", "Etc/GMT+5"),
        ("+14", "Etc/GMT-14"),
        ("UTC+0", "UTC"),
        ("utc", "UTC"),
        ("Mumbai", "Asia/Kolkata"),
        ("Delhi", "Asia/Kolkata"),
        ("Bangalore", "Asia/Kolkata"),
        ("India", "Asia/Kolkata"),
        ("IST", "Asia/Kolkata"),
        ("Paris, France", "Europe/Paris"),
        ("Pune, India", "Asia/Kolkata"),
        ("London, UK", "Europe/London"),
        ("Portland", "America/Los_Angeles"),
        ("PST", "America/Los_Angeles"),
        ("pdt", "America/Los_Angeles"),
        ("Pacific", "America/Los_Angeles"),
        ("EST", "America/New_York"),
        ("Eastern time", "America/New_York"),
        ("CST", "America/Chicago"),
        ("MST", "America/Denver"),
        ("HST", "Pacific/Honolulu"),
        ("CET", "Europe/Berlin"),
        ("CEST", "Europe/Berlin"),
        ("BST", "Europe/London"),
        ("GMT", "Europe/London"),
        ("AEST", "Australia/Sydney"),
        ("Germany", "Europe/Berlin"),
        ("Kolkata", "Asia/Kolkata"),
        ("asia/kolkata", "Asia/Kolkata"),
        ("  New   York. ", "America/New_York"),
    ],
)
def test_resolve_zone(typed: str, zone: str):
    assert resolve_zone(typed) == zone


@pytest.mark.parametrize(
    "typed", ["", "Xyzzy Prime", "+10:30", "+5:17", "UTC+15", "Springfield, Nowhere", "+5:60"]
)
def test_resolve_zone_refuses(typed: str):
    assert resolve_zone(typed) is None


def test_legacy_abbreviations_follow_daylight_saving():
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)
    new_york = ZoneInfo(resolve_zone("EST") or "")
    assert summer.astimezone(new_york).utcoffset().total_seconds() == -4 * 3600


def test_every_alias_is_a_zone_with_a_country():
    """A country makes the crisis reply show local lines (core/crisis.py)."""
    countries = zone_countries()
    for table in ("aliases", "offsets"):
        for typed, zone in ALIASES[table].items():
            assert zone in countries, (typed, zone)
            assert typed == typed.lower(), typed


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Etc/GMT-2", "UTC+2"),
        ("Etc/GMT+5", "UTC-5"),
        ("Etc/GMT-14", "UTC+14"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("UTC", "UTC"),
    ],
)
def test_describe_zone(zone: str, shown: str):
    assert describe_zone(zone) == shown


def test_times_and_days():
    assert parse_time("7pm") == "19:00"
    assert parse_time("09.30") == "09:30"
    assert parse_time("25:00") is None
    assert parse_weekdays("Mon Thu") == "mon,thu"
    assert parse_weekdays("weekdays") == "mon,tue,wed,thu,fri"
    assert parse_weekdays("someday") is None
