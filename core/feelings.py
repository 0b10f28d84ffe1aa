"""What a typed feeling is, so the answer can fit it (issue 13: acknowledge first).

``read(text)`` names the feeling in a message (despair, self-criticism, fatigue with
the search, anxiety, anger, a low day, relief, joy, a steady day) from the patterns in
``content/feelings.toml``; the acknowledgements live in ``content/text/feelings.toml``.
The crisis check runs before any of this and always wins.

``care_first(text)`` says whether a message is mostly a feeling, even where a topic
word appears in it ("this job search is killing me" is fatigue, not an application):
the engine then answers the feeling. ``doubtful(text)`` flags words that make a typed
strength uncertain, so a step asks before saving it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from core import content, safety


class Feeling(StrEnum):
    DESPAIR = "despair"
    SELF_CRITICISM = "self_criticism"
    FATIGUE = "fatigue"
    ANXIOUS = "anxious"
    ANGRY = "angry"
    LOW = "low"
    RELIEF = "relief"
    JOY = "joy"
    STEADY = "steady"


HEAVY = frozenset(
    {
        Feeling.DESPAIR,
        Feeling.SELF_CRITICISM,
        Feeling.FATIGUE,
        Feeling.ANXIOUS,
        Feeling.ANGRY,
        Feeling.LOW,
    }
)
"""Feelings that are never an answer to store (a strength, a company, an application)."""


@dataclass(frozen=True)
class _Rules:
    order: tuple[tuple[Feeling, tuple[re.Pattern[str], ...]], ...]
    doubt: tuple[re.Pattern[str], ...]


@cache
def _rules() -> _Rules:
    raw = content.data("feelings")
    order = tuple(
        (Feeling(name), tuple(re.compile(p) for p in raw["patterns"][name]))
        for name in raw["order"]
    )
    return _Rules(order, tuple(re.compile(p) for p in raw["doubt"]))


def read(text: str) -> Feeling | None:
    """The feeling ``text`` expresses, or None when it names none. Text of any case and
    with contractions; it is normalised as for the crisis check."""
    normal = safety.normalise(text)
    if not normal:
        return None
    for feeling, patterns in _rules().order:
        if any(p.search(normal) for p in patterns):
            return feeling
    return None


def heavy(text: str) -> Feeling | None:
    """The feeling in ``text`` if it is a heavy one (``HEAVY``), else None."""
    feeling = read(text)
    return feeling if feeling in HEAVY else None


def doubtful(text: str) -> bool:
    """Whether typed text reads unlike a strength (a negation, a question): ask first."""
    if text.rstrip().endswith("?"):
        return True
    normal = safety.normalise(text)
    return any(p.search(normal) for p in _rules().doubt)
