"""Reading what people type for times, days and time zones."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from core.recurrence import WEEKDAYS, format_days

_TIME = re.compile(r"^(\d{1,2})(?::|\.|h)?(\d{2})?\s*(am|pm)?$")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(00))?$")
_DAY_NAMES = {
    **{d: d for d in WEEKDAYS},
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
    "friday": "fri", "saturday": "sat", "sunday": "sun",
    "tues": "tue", "thur": "thu", "thurs": "thu", "weds": "wed",
}  # fmt: skip


def parse_time(text: str) -> str | None:
    """``9``, ``9:30``, ``09.30``, ``7pm``, ``18:00`` -> ``HH:MM``; None if not a time."""
    match = _TIME.match(text.strip().lower())
    if not match:
        return None
    hours, minutes, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half == "pm" else 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def parse_days(text: str) -> str | None:
    """``mon,thu``, ``Mon Thu``, ``weekdays``, ``daily`` -> ``mon,thu`` / ``daily``; None."""
    words = [w for w in re.split(r"[\s,;/&+]+|\band\b", text.strip().lower()) if w]
    if not words:
        return None
    if words in (["daily"], ["every", "day"], ["everyday"]):
        return "daily"
    if words == ["weekdays"]:
        return "mon,tue,wed,thu,fri"
    if words == ["weekends"]:
        return "sat,sun"
    days = set()
    for word in words:
        name = _DAY_NAMES.get(word)
        if name is None:
            return None
        days.add(WEEKDAYS.index(name))
    return format_days(days)


@cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@cache
def _cities() -> dict[str, list[str]]:
    cities: dict[str, list[str]] = {}
    for name in available_timezones():
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            city = name.rsplit("/", 1)[1].replace("_", " ").lower()
            cities.setdefault(city, []).append(name)
    return cities


def resolve_zone(text: str) -> str | None:
    """An IANA zone name for what was typed: a zone name, a city, ``UTC``, or ``UTC+2``.

    None when it is unknown or ambiguous. Whole-hour offsets become ``Etc/GMT±N`` zones
    (whose sign is inverted by POSIX convention); they do not follow daylight saving.
    """
    raw = text.strip()
    lowered = raw.lower()
    if not lowered:
        return None
    if lowered in ("utc", "gmt", "z"):
        return "UTC"
    if lowered in _zones():
        return _zones()[lowered]
    offset = _OFFSET.match(lowered.replace(" ", ""))
    if offset:
        sign, hours = offset[1], int(offset[2])
        if hours == 0:
            return "UTC"
        if hours > 14:
            return None
        zone = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
        return zone if zone.lower() in _zones() else None
    matches = _cities().get(lowered.replace("_", " "), [])
    if len(matches) == 1:
        return matches[0]
    return None


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True
