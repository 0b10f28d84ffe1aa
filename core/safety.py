"""The crisis check every free-text message passes before anything else.

It favours recall: a message is a crisis when it matches an explicit or implicit
pattern of ``content/crisis_patterns.toml`` after normalising, unless the only match
lies inside everyday hyperbole ("this rejection is killing me").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from core import content

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_WORD = re.compile(r"[a-z']+|[^a-z']+")


@dataclass(frozen=True)
class _Patterns:
    shorthand: dict[str, str]
    explicit: tuple[re.Pattern[str], ...]
    implicit: tuple[re.Pattern[str], ...]
    not_crisis: tuple[re.Pattern[str], ...]


@cache
def _patterns() -> _Patterns:
    raw = content.data("crisis_patterns")
    compiled = {k: tuple(re.compile(p) for p in v) for k, v in raw["patterns"].items()}
    return _Patterns(
        shorthand=dict(raw["shorthand"]),
        explicit=compiled["explicit"],
        implicit=compiled["implicit"],
        not_crisis=compiled["not_crisis"],
    )


def normalise(text: str) -> str:
    """Lower case, plain quotes, shorthand and contractions spelled out, spaces folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    shorthand = _patterns().shorthand
    words = [shorthand.get(token, token) for token in _WORD.findall(text)]
    return re.sub(r"\s+", " ", "".join(words)).strip()


def is_crisis(text: str) -> bool:
    """True when ``text`` reads as a risk to the person's life or safety."""
    if not text or not text.strip():
        return False
    normal = normalise(text)
    patterns = _patterns()
    masked = normal
    for hyperbole in patterns.not_crisis:
        masked = hyperbole.sub(" ", masked)
    return any(p.search(masked) for p in (*patterns.explicit, *patterns.implicit))
