"""Free-text intents (``python -m bot classify`` prints them).

The names are fixed by docs/DESIGN.md and defined in docs/labelling.md. A learned model
(``core/classifier.py``, trained on ``content/examples/intents``) gives each intent a
probability; below the confidence of ``content/classifier.toml`` a message is not acted
on (``unknown``), and between that and ``sure`` the engine asks "Did you mean ...?".
``crisis`` comes from the safety check and always wins. ``content/intents.toml`` keeps
only the patterns that find a company's name in a sentence.
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


INTENT_CHARS = 1_000
"""What a message is about is read from its first 1,000 characters (bounded time; the
safety check reads much more, see core/safety.py)."""


@dataclass(frozen=True, slots=True)
class Guess:
    """What the model makes of a message: its likeliest intent and the runner-up,
    with their probabilities (0 to 1)."""

    intent: Intent
    confidence: float
    runner_up: Intent
    runner_up_confidence: float

    @property
    def decided(self) -> Intent:
        """The intent to act on: ``intent`` when the model is confident enough, else
        ``unknown``."""
        return self.intent if self.confidence >= _limits().confidence else Intent.UNKNOWN

    @property
    def ambiguous(self) -> bool:
        """True when the top two are close enough that the person should choose."""
        limits = _limits()
        return (
            self.confidence < limits.sure
            and self.runner_up is not Intent.UNKNOWN
            and self.confidence - self.runner_up_confidence <= limits.margin
        )


@dataclass(frozen=True)
class _Limits:
    confidence: float
    sure: float
    margin: float


@cache
def _limits() -> _Limits:
    raw = content.data("classifier")["intents"]
    return _Limits(float(raw["confidence"]), float(raw["sure"]), float(raw["margin"]))


@cache
def _company_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in content.data("intents")["company"]["patterns"])


def classify(text: str) -> Intent:
    """The intent ``python -m bot classify`` prints: ``crisis`` for the crisis tier of
    the safety check, else :func:`topic`."""
    if safety.is_crisis(text):
        return Intent.CRISIS
    return topic(text)


def guess(text: str) -> Guess:
    """The model's two likeliest intents for a message that already passed the safety
    check, read from its first INTENT_CHARS characters. Empty or symbol-only text is
    ``unknown`` with confidence 1."""
    text = text[:INTENT_CHARS]
    if not any(c.isalnum() for c in text):
        return Guess(Intent.UNKNOWN, 1.0, Intent.UNKNOWN, 0.0)
    from core.classifier import model

    ranked = sorted(model("intents").probabilities(text).items(), key=lambda kv: -kv[1])
    (first, p1), (second, p2) = ranked[0], ranked[1]
    return Guess(Intent(first), p1, Intent(second), p2)


def topic(text: str) -> Intent:
    """The intent of text that already passed the crisis check (the engine checks every
    typed text first, so it need not pay for the check twice)."""
    return guess(text).decided


_STOP = frozenset({"the", "a", "an", "my", "me", "them", "this", "that", "it", "i", "today"})


def company_in(text: str) -> str | None:
    """The company a rejection message names ("turned down by Acme" -> "Acme"), if any."""
    for pattern in _company_patterns():
        match = pattern.search(text)
        if match:
            words = match.group(1).strip(" .,!?'\"").split()
            while words and words[-1].lower() in _STOP:
                words.pop()
            if words and words[0].lower() not in _STOP:
                return " ".join(words)
    return None
