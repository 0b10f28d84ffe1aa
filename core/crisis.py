"""Crisis lines by country, and the fixed message that replaces the normal reply."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from core import content


@cache
def zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from the tz database's own ``zone.tab``."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    mapping: dict[str, str] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        mapping[fields[2]] = fields[0]
    return mapping


def country_for(country: str | None, timezone: str | None) -> str | None:
    """The person's country: what they told us, else the one their time zone lies in."""
    if country:
        return country.upper()
    return zone_countries().get(timezone or "")


def resources_for(country: str | None) -> dict[str, Any] | None:
    """The entry for ``country`` in ``crisis_resources.toml``, or None if we have none."""
    countries: dict[str, dict[str, Any]] = content.data("crisis_resources").get("country", {})
    if country is None:
        return None
    return countries.get("GB" if country == "UK" else country)


def crisis_message(country: str | None, timezone: str | None, *, told: bool = True) -> str:
    """The human-written crisis reply, with the person's local lines where we know them.

    ``told`` is True when the reply answers a message that read as a crisis (it opens
    with "I'm really glad you told me"); /sos passes False: nothing was told, the person
    asked for the numbers.
    """
    data = content.data("crisis_resources")
    entry = resources_for(country_for(country, timezone))
    international = data["international"]
    lines = [content.text("crisis.opening" if told else "crisis.opening_sos")]
    # /sos: nothing was said, so "these thoughts" would refer to nothing.
    suffix = "" if told else "_sos"
    if entry is not None:
        lines.append(
            content.text(
                f"crisis.emergency{suffix}", emergency=entry["emergency"], country=entry["name"]
            )
        )
        for helpline in entry.get("helpline", []):
            lines.append(
                content.text(
                    "crisis.helpline",
                    name=helpline["name"],
                    contact=helpline["contact"],
                )
            )
    else:
        lines.append(content.text(f"crisis.emergency_unknown{suffix}"))
    lines.append(
        content.text("crisis.international", name=international["name"], url=international["url"])
    )
    lines.append(content.text("crisis.closing"))
    return "\n\n".join(lines)
