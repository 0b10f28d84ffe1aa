"""The crisis check every typed message passes before anything else.

It favours recall. A message is a crisis when, after normalising, it matches an
explicit or implicit pattern of ``content/crisis_patterns.toml`` outside the
everyday hyperbole listed there ("this rejection is killing me", "career suicide").
Detection has no memory: "no, I'm fine" after a hit switches nothing off, and the
next risky message is answered again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from core import content

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
_LEET = str.maketrans("013457@$", "oieastas")
_LEET_CHARS = frozenset("013457@$")
_NUMBER_LIKE = re.compile(r"[$£€]?\d+([.,:]\d+)*(am|pm|k|m|st|nd|rd|th|s|h|x|yo|yrs?|mins?)?")
_CONTRACTIONS = (
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (
        re.compile(
            r"\b(it|that|what|there|here|who|nothing|everything|everyone|everybody|"
            r"life|he|she|this|where|how|nobody|one)'s\b"
        ),
        r"\1 is",
    ),
    (re.compile(r"\bany more\b"), "anymore"),
)
_INNER_BANG = re.compile(r"(?<=[a-z])[!|](?=[a-z])")
_NOT_WORD = re.compile(r"[^\w']+|_")
_SPELLED_OUT = re.compile(r"\b[a-z](?: [a-z]){2,}\b")
_LONG_RUN = re.compile(r"(\w)\1{2,}")


class Risk(StrEnum):
    EXPLICIT = "explicit"
    IMPLICIT = "implicit"


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


def _plain(text: str) -> str:
    """Compatibility forms folded, accents and invisible characters dropped, lower case."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    kept = (c for c in text if unicodedata.category(c) not in ("Mn", "Cf", "Cc") or c.isspace())
    return "".join(kept).translate(_QUOTES).lower()


def _word(token: str, shorthand: dict[str, str]) -> str:
    if token in shorthand:
        return shorthand[token]
    if (
        any(c in _LEET_CHARS for c in token)
        and any(c.isalpha() for c in token)
        and not _NUMBER_LIKE.fullmatch(token.rstrip(".,;:!?)"))
    ):
        token = token.translate(_LEET)
    return shorthand.get(token, token)


def _spaced(text: str) -> str:
    """Plain text with contractions, shorthand and leetspeak spelled out, words
    separated by single spaces."""
    text = _INNER_BANG.sub("i", _plain(text))
    shorthand = _patterns().shorthand
    text = " ".join(_word(token, shorthand) for token in text.split())
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return " ".join(_NOT_WORD.sub(" ", text.replace("'", "")).split())


def _expand(text: str) -> str:
    shorthand = _patterns().shorthand
    return " ".join(shorthand.get(token, token) for token in text.split())


def normalise(text: str) -> str:
    """Lower case, plain letters and quotes, contractions, chat shorthand and
    leetspeak spelled out, punctuation as spaces."""
    return _expand(_spaced(text))


def _variants(text: str) -> set[str]:
    """The normalised text, with letters typed one by one joined ("d i e"), and with
    stretched letters shortened two ways ("diiie" -> "diie", "die")."""
    spaced = _spaced(text)
    forms = {_expand(spaced), _expand(_SPELLED_OUT.sub(_join, spaced))}
    for form in list(forms):
        if _LONG_RUN.search(form):
            forms |= {_LONG_RUN.sub(r"\1\1", form), _LONG_RUN.sub(r"\1", form)}
    return forms


def _join(match: re.Match[str]) -> str:
    return match.group().replace(" ", "")


def assess(text: str) -> Risk | None:
    """``Risk.EXPLICIT`` or ``Risk.IMPLICIT`` when ``text`` reads as a risk to the
    person's life or safety, else None."""
    if not text or not text.strip():
        return None
    patterns = _patterns()
    found: Risk | None = None
    for variant in _variants(text):
        masked = variant
        for hyperbole in patterns.not_crisis:
            masked = hyperbole.sub(" ", masked)
        if any(p.search(masked) for p in patterns.explicit):
            return Risk.EXPLICIT
        if found is None and any(p.search(masked) for p in patterns.implicit):
            found = Risk.IMPLICIT
    return found


def is_crisis(text: str) -> bool:
    """True when ``text`` reads as a risk to the person's life or safety."""
    return assess(text) is not None
