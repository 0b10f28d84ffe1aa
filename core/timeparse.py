"""Reading what people type for times, days and time zones."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from core import content, gazetteer
from core.recurrence import WEEKDAYS, format_days
from core.words import fold

_TIME = re.compile(r"^(\d{1,2})(?::|\.|h)?(\d{2})?\s*(am|pm)?$")
_OFFSET = re.compile(r"^(?:utc|gmt)?([+-])(\d{1,2})(?::?([0-5]\d))?$")
_ETC = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")
_DAY_NAMES = {
    **{d: d for d in WEEKDAYS},
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
    "friday": "fri", "saturday": "sat", "sunday": "sun",
    "tues": "tue", "thur": "thu", "thurs": "thu", "weds": "wed",
}  # fmt: skip


_NAMED_TIMES = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}


def parse_time(text: str) -> str | None:
    """``9``, ``9:30``, ``09.30``, ``7pm``, ``7 pm``, ``7.30pm``, ``18:00``, ``19h``,
    ``noon`` -> ``HH:MM``; None if not a time of day."""
    lowered = fold(text).replace(" ", "").replace("a.m", "am").replace("p.m", "pm")
    lowered = lowered.replace("o'clock", "").strip(" .!")
    if lowered in _NAMED_TIMES:
        return _NAMED_TIMES[lowered]
    match = _TIME.match(lowered)
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


_EVERY_DAY = ({"daily"}, {"every", "day"}, {"everyday"}, {"every", "day", "of", "the", "week"})
_FILLER = frozenset({"every", "each", "on", "the", "at", "and", "in", "s", "days", "of"})
_RANGE_WORDS = re.compile(r"\s*(?:-|–|—|\bthrough\b|\bthru\b|\bto\b|\btill\b|\buntil\b)\s*")


def _day_name(word: str) -> str | None:
    """``monday``, ``Mon``, ``mondays``, ``tues`` -> ``mon``; None if not a weekday."""
    if word in _DAY_NAMES:
        return _DAY_NAMES[word]
    if word.endswith("s") and word[:-1] in _DAY_NAMES:
        return _DAY_NAMES[word[:-1]]
    return None


def parse_weekdays(text: str) -> str | None:
    """Weekdays as people write them -> ``mon,thu`` / ``daily``; None if not days.

    ``mon,thu``, ``Mon Thu``, ``Mon, wed, fri``, ``tuesdays``, ``every weekday``,
    ``weekdays``, ``weekends``, ``mon-fri``, ``Monday to Friday``, ``daily``,
    ``every day``. A range runs forward through the week (``fri-mon``: Fri to Mon).
    """
    lowered = _RANGE_WORDS.sub("-", fold(text))
    words = [w for w in re.split(r"[\s,;/&+.]+|\band\b", lowered) if w]
    if not words:
        return None
    if set(words) in _EVERY_DAY:
        return "daily"
    days: set[int] = set()
    for word in words:
        if word in ("weekday", "weekdays", "workdays", "workday"):
            days.update(range(5))
            continue
        if word in ("weekend", "weekends"):
            days.update((5, 6))
            continue
        if word in _FILLER:
            continue
        if "-" in word:
            first, _, last = word.partition("-")
            start, end = _day_name(first), _day_name(last)
            if start is None or end is None:
                return None
            index = WEEKDAYS.index(start)
            while True:
                days.add(index)
                if WEEKDAYS[index] == end:
                    break
                index = (index + 1) % 7
            continue
        name = _day_name(word)
        if name is None:
            return None
        days.add(WEEKDAYS.index(name))
    if not days:
        return None
    return "daily" if len(days) == 7 else format_days(days)


def split_days_and_time(text: str) -> tuple[str, str | None]:
    """``Mon, wed, fri at 7pm`` -> (``Mon, wed, fri``, ``19:00``): the time of day
    wherever it is (after "at", or last), and the words left for the days."""
    words = fold(text).replace(",", " , ").split()
    for index, word in enumerate(words):
        if word != "at" or index + 1 >= len(words):
            continue
        for width in (2, 1):
            candidate = "".join(words[index + 1 : index + 1 + width])
            found = parse_time(candidate)
            if found is not None:
                rest = words[:index] + words[index + 1 + width :]
                return " ".join(rest), found
    for width in (2, 1):
        if len(words) >= width:
            candidate = "".join(words[-width:])
            found = parse_time(candidate)
            if found is not None:
                return " ".join(words[:-width]), found
    return " ".join(words), None


@cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@cache
def _cities() -> dict[str, list[str]]:
    cities: dict[str, list[str]] = {}
    for name in available_timezones():
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            city = fold(name.rsplit("/", 1)[1].replace("_", " "))
            cities.setdefault(city, []).append(name)
    return cities


@cache
def _aliases() -> tuple[dict[str, str], dict[str, str]]:
    """(typed name -> zone, ``+05:30`` -> zone) from ``content/zone_aliases.toml``."""
    raw = content.data("zone_aliases")
    return dict(raw["aliases"]), dict(raw["offsets"])


def _offset_zone(text: str) -> str | None:
    """``UTC+2``, ``+05:30``, ``gmt-3:30`` -> a zone; None if not an offset we can place."""
    offset = _OFFSET.match(text.replace(" ", ""))
    if not offset:
        return None
    sign, hours, minutes = offset[1], int(offset[2]), int(offset[3] or 0)
    if minutes:
        return _aliases()[1].get(f"{sign}{hours:02d}:{minutes:02d}")
    if hours == 0:
        return "UTC"
    if hours > 14:
        return None
    zone = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    return zone if zone.lower() in _zones() else None


def _named_zone(lowered: str) -> str | None:
    """A zone for one place name: an alias, an IANA name, an offset or a unique city."""
    if lowered in ("utc", "z", "zulu"):
        return "UTC"
    aliases = _aliases()[0]
    if lowered in aliases:
        return aliases[lowered]
    if lowered in _zones():
        return _zones()[lowered]
    offset = _offset_zone(lowered)
    if offset is not None:
        return offset
    matches = _cities().get(lowered.replace("_", " "), [])
    zones = {gazetteer.canonical(m) for m in matches}
    return gazetteer.primary(matches) if len(zones) == 1 else None


def resolve_zone(text: str) -> str | None:
    """An IANA zone name for what was typed: a zone name, a city, a country or an
    abbreviation from ``content/zone_aliases.toml``, ``UTC``, ``UTC+2`` or ``+05:30``.

    None when it is unknown or ambiguous. Abbreviations map to zones that follow
    daylight saving ("EST" -> America/New_York, not the fixed legacy "EST"). Whole-hour
    offsets become ``Etc/GMT±N`` zones (sign inverted by POSIX convention; show them
    with ``describe_zone``), which do not follow daylight saving; half- and
    quarter-hour offsets map to the place whose standard offset they are
    (``+05:30`` -> Asia/Kolkata). ``Paris, France`` tries the city, then the country.
    """
    options = zone_options(text)
    return options[0][0] if len(options) == 1 else None


def zone_options(text: str) -> list[tuple[str, str]]:
    """The zones a typed place may mean, as (IANA zone, place name) pairs: one when it
    is clear (the place name is then empty for a name we matched directly), several
    when it is really ambiguous ("Birmingham": England or Alabama; "USA"), none when
    unknown.

    Typed text is folded (case and accents: "sao paulo", "ZÜRICH"). The order of
    ``resolve_zone`` comes first; then GeoNames' cities, US states and countries
    through ``core.gazetteer`` (offline).
    """
    lowered = fold(text).strip(" .!")
    if not lowered:
        return []
    found = _named_zone(lowered)
    if found is None and "," in lowered:
        parts = [p.strip() for p in lowered.split(",") if p.strip()]
        for part in (parts[0], parts[-1]) if parts else ():
            found = _named_zone(part)
            if found is not None:
                break
        if found is not None and gazetteer.places(lowered):
            # "Springfield, Illinois": the gazetteer knows the city in that region
            found = None
    if found is not None:
        return [(found, "")]
    return [(p.zone, p.label) for p in gazetteer.places(lowered)]


def zone_label(zone: str, city: str, now: datetime) -> str:
    """A zone as a button: ``Chicago · UTC-6`` (its offset at ``now``, aware)."""
    offset = now.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    shown = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    place = city or zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{place} · {shown}"


def describe_zone(name: str) -> str:
    """A zone as shown to people: ``Etc/GMT-2`` -> ``UTC+2`` (POSIX signs are inverted);
    every other name as it is."""
    match = _ETC.match(name)
    if match is None:
        return name
    sign = "-" if match[1] == "+" else "+"
    return f"UTC{sign}{int(match[2])}"


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True
