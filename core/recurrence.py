"""When a daily or weekly message is next due, in UTC, for a local time in a zone.

zoneinfo does the daylight-saving work: a local time that does not exist that day
(clocks spring forward over it) is delivered at the same wall-clock distance after the
gap, and a local time that occurs twice (clocks fall back) is delivered once, at its
first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=1024)
def zone_info(name: str) -> ZoneInfo:
    """``ZoneInfo(name)``, kept: zoneinfo's own strong cache holds only 8 zones."""
    return ZoneInfo(name)


def weekday_numbers(days: str) -> frozenset[int]:
    """``daily`` or ``mon,thu`` -> weekday numbers (Monday is 0)."""
    if days == "daily":
        return frozenset(range(7))
    return frozenset(WEEKDAYS.index(d) for d in days.split(",") if d in WEEKDAYS)


def format_days(weekdays: frozenset[int] | set[int]) -> str:
    if len(weekdays) == 7:
        return "daily"
    return ",".join(WEEKDAYS[d] for d in sorted(weekdays))


def parse_local_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone`` (see module doc for DST)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_occurrence(local_time: str, days: str, zone_name: str, after: datetime) -> datetime | None:
    """The first instant strictly after ``after`` at which the schedule is due, or None."""
    weekdays = weekday_numbers(days)
    if not weekdays:
        return None
    zone = zone_info(zone_name)
    at = parse_local_time(local_time)
    start = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        instant = local_instant(day, at, zone)
        if instant > after:
            return instant
    return None


def latest_occurrence(
    local_time: str, days: str, zone_name: str, at_or_before: datetime
) -> datetime | None:
    """The last instant at or before ``at_or_before`` at which the schedule was due."""
    weekdays = weekday_numbers(days)
    if not weekdays:
        return None
    zone = zone_info(zone_name)
    at = parse_local_time(local_time)
    start = at_or_before.astimezone(zone).date() + timedelta(days=1)
    for offset in range(9):
        day = start - timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        instant = local_instant(day, at, zone)
        if instant <= at_or_before:
            return instant
    return None


def local_date(instant: datetime, zone_name: str) -> date:
    """The calendar day ``instant`` falls on in ``zone_name``."""
    return instant.astimezone(zone_info(zone_name)).date()
