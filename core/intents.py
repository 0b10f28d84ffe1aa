"""Free-text intents (``python -m bot classify`` prints them).

The names are fixed by DESIGN.md. The patterns live in ``content/intents.toml``;
``crisis`` comes from the safety check and always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from core import content, safety


class Intent(StrEnum):
    REJECTION = "rejection"
    GOOD_NEWS = "good_news"
    CRISIS = "crisis"
    STRENGTHS = "strengths"
    FEEDBACK = "feedback"
    SKILLS = "skills"
    APPLIED = "applied"
    MOOD = "mood"
    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class _Rules:
    order: tuple[tuple[Intent, tuple[re.Pattern[str], ...]], ...]
    company: tuple[re.Pattern[str], ...]


@cache
def _rules() -> _Rules:
    raw = content.data("intents")
    order = tuple(
        (Intent(name), tuple(re.compile(p) for p in raw["patterns"][name])) for name in raw["order"]
    )
    company = tuple(re.compile(p) for p in raw["company"]["patterns"])
    return _Rules(order, company)


def classify(text: str) -> Intent:
    if safety.is_crisis(text):
        return Intent.CRISIS
    return topic(text)


def topic(text: str) -> Intent:
    """The intent of text that already passed the crisis check (the engine checks every
    typed text first, so it need not pay for the check twice)."""
    normal = safety.normalise(text)
    if not normal:
        return Intent.UNKNOWN
    for intent, patterns in _rules().order:
        if any(p.search(normal) for p in patterns):
            return intent
    return Intent.UNKNOWN


_STOP = frozenset({"the", "a", "an", "my", "me", "them", "this", "that", "it", "i", "today"})


def company_in(text: str) -> str | None:
    """The company a rejection message names ("turned down by Acme" -> "Acme"), if any."""
    for pattern in _rules().company:
        match = pattern.search(text)
        if match:
            words = match.group(1).strip(" .,!?'\"").split()
            while words and words[-1].lower() in _STOP:
                words.pop()
            if words and words[0].lower() not in _STOP:
                return " ".join(words)
    return None
