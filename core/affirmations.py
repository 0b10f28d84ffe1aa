"""Choosing an affirmation: suited to the person's recent mood, never repeated within 30 days.

The words live in ``core/content/affirmations.toml``; here is only the choice. A low
recent mood leans on self-worth and resilience, a middling one on persistence and
growth, a good one on strengths and growth; with no recent mood every theme is fair.
A text tagged ``morning`` or ``evening`` is only chosen at that local hour.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from core import content

NO_REPEAT = timedelta(days=30)
ON_DEMAND_PER_DAY = 3
"""How many /affirmation ("Another one") a person gets a day, so the 30-day no-repeat
pool the daily affirmation draws on is not used up in one sitting."""
HOURS = {"morning": range(4, 12), "evening": (*range(17, 24), *range(0, 4))}
"""Local hours at which a text tagged with that time of day may go out."""
MOOD_WINDOW = timedelta(days=7)
MOOD_SAMPLES = 3
"""How many of the latest scores (within ``MOOD_WINDOW``) make the "recent mood"."""

THEMES_BY_MOOD: Mapping[str, tuple[str, ...]] = {
    "low": ("self-worth", "resilience"),
    "middling": ("persistence", "growth", "resilience"),
    "good": ("strengths", "growth", "persistence"),
}


@dataclass(frozen=True, slots=True)
class Affirmation:
    id: str
    theme: str
    text: str
    time: str | None = None
    """``morning``, ``evening`` or None (any hour)."""
    energy: bool = False
    """The text assumes a good day ("Feeling good today?")."""

    def fits(self, hour: int | None) -> bool:
        """Whether this text suits local ``hour``; a timed text never goes out when the
        hour is unknown."""
        if self.time is None:
            return True
        return hour is not None and hour in HOURS[self.time]


@cache
def catalogue() -> tuple[Affirmation, ...]:
    entries = content.data("affirmations")["affirmation"]
    return tuple(
        Affirmation(e["id"], e["theme"], e["text"].strip(), e.get("time"), e.get("energy", False))
        for e in entries
    )


def mood_band(scores: Sequence[int]) -> str | None:
    """``low``, ``middling`` or ``good`` from the newest scores first; None without any."""
    latest = list(scores[:MOOD_SAMPLES])
    if not latest:
        return None
    average = sum(latest) / len(latest)
    if average <= 2.5:
        return "low"
    if average < 3.75:
        return "middling"
    return "good"


@cache
def _fitting(hour: int | None) -> tuple[Affirmation, ...]:
    """The texts that may go out at local ``hour`` (a scheduler pass asks 100,000 times)."""
    return tuple(a for a in catalogue() if a.fits(hour))


@cache
def _suited_unseen(hour: int | None, band: str | None) -> tuple[Affirmation, ...]:
    """``choose``'s first pick for a person who saw nothing within 30 days: the texts
    of ``band``'s themes fitting ``hour`` (any theme without a band), without the
    ``energy`` ones unless the band is good, in catalogue order. Worked out once per
    hour and band: a scheduler pass asks for it for most of 100,000 people."""
    themes = THEMES_BY_MOOD.get(band, ()) if band else ()
    suited = [a for a in _fitting(hour) if a.theme in themes] if themes else _fitting(hour)
    if band != "good":
        suited = [a for a in suited if not a.energy]
    return tuple(suited)


def choose(
    scores: Sequence[int],
    seen: Mapping[str, datetime],
    rng: random.Random | None = None,
    *,
    hour: int | None = None,
) -> Affirmation:
    """One affirmation for a person with these recent ``scores`` (newest first) who saw
    the ids in ``seen`` (id -> when) within the last 30 days, at local ``hour``.

    Prefers an unseen one of the mood's themes, then any unseen one; only when every
    affirmation was seen within 30 days (many on-demand requests) does one repeat: the
    one seen longest ago. Unless the recent mood is good, a text that assumes a good
    day (``energy``) comes last: after any neutral one, even a repeat (issue 13).
    """
    rng = rng or random.Random()
    everything = _fitting(hour)
    band = mood_band(scores)
    if not seen:
        first = _suited_unseen(hour, band)
        if first:  # the same list, in the same order, as worked out below
            return rng.choice(first)
    themes = THEMES_BY_MOOD.get(band, ()) if band else ()
    unseen = [a for a in everything if a.id not in seen] if seen else list(everything)
    suited = [a for a in unseen if a.theme in themes] if themes else unseen
    if band != "good":
        suited = [a for a in suited if not a.energy]
    if suited:
        return rng.choice(suited)
    if band != "good":
        neutral = [a for a in unseen if not a.energy]
        if neutral:
            return rng.choice(neutral)
        again = [a for a in everything if not a.energy]
        if again:
            return min(again, key=lambda a: seen.get(a.id, datetime.min.replace(tzinfo=UTC)))
    if unseen:
        return rng.choice(unseen)
    return min(everything, key=lambda a: seen[a.id])
