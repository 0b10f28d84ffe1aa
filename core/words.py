"""Everyday words as answers: yes and no, numbers in words, durations in words.

The word lists live in ``core/content/words.toml``. Typed text is compared after
folding case and accents (``fold``) and stripping end punctuation, so "Yes!", "YEAH"
and "oui" all read as yes.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from core import content

_EDGE = " \t.,;:!?'\"()"


def fold(text: str) -> str:
    """Lower case, accents removed, white space collapsed: "São  Paulo" -> "sao paulo".

    Letters that do not decompose (ß, ø, ł) are folded by ``str.casefold`` and a small
    table.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.translate(_LETTERS)
    return " ".join(plain.split())


_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe"})


@cache
def _data() -> dict[str, Any]:
    return dict(content.data("words"))


def _plain(text: str) -> str:
    if not text.isascii():  # NFKD would read "²" or "①" as a digit: drop those
        text = "".join(
            c for c in text if c.isascii() or not unicodedata.category(c).startswith("N")
        )
    return fold(text).strip(_EDGE).replace("’", "'")


def yes_no(text: str) -> bool | None:
    """True for a yes ("yes", "yeah", "sure", "ok"), False for a no ("no", "nope",
    "keep it"), None for anything else. Lists: ``words.toml`` ``yes`` and ``no``."""
    plain = _plain(text)
    if plain in _data()["yes"]:
        return True
    if plain in _data()["no"]:
        return False
    return None


def number(text: str) -> float | None:
    """A number written in digits or words: "3", "two", "a couple", "half" -> 0.5,
    "3/5" -> 3 (a score out of five), "2.5"; None for anything else."""
    plain = _plain(text)
    if not plain:
        return None
    head, slash, tail = plain.partition("/")
    if slash and tail.strip() in ("5", "five"):
        plain = head.strip()
    if plain.isascii() and plain.replace(".", "", 1).isdigit() and len(plain) <= 6:
        return float(plain)
    value = _data()["numbers"].get(plain)
    return float(value) if value is not None else None


def whole_number(text: str, low: int, high: int) -> int | None:
    """``number`` when it is a whole number from ``low`` to ``high``; else None."""
    value = number(text)
    if value is None or value != int(value):
        return None
    return int(value) if low <= value <= high else None


def duration_days(text: str) -> int | None:
    """A duration in whole days: "3", "3 days", "two weeks", "a week", "a fortnight",
    "1 month" (30 days), "10d", "2 weeks and 3 days"; None when it is not one.

    A bare number means days; a negative one ("-3") is no duration.
    """
    if text.strip().startswith(("-", "\u2212")):
        return None
    plain = _plain(text).replace("-", " ")
    if not plain:
        return None
    bare = number(plain)
    if bare is not None:
        return int(bare) if bare == int(bare) else None
    units = _data()["units"]
    total = 0.0
    amount: float | None = None
    words = plain.replace(" and ", " ").split()
    index = 0
    seen_unit = False
    while index < len(words):
        word = words[index]
        split = _number_and_unit(word)
        if split is not None:
            value, unit = split
            total += value * units[unit]
            seen_unit, amount = True, None
        elif word in units and amount is not None:
            total += amount * units[word]
            seen_unit, amount = True, None
        elif word in units and amount is None and not seen_unit:
            total += units[word]
            seen_unit = True
        elif word == "half" and seen_unit and amount is None:
            previous = _last_unit(words[:index], units)
            total += 0.5 * (previous or 0)
        else:
            worth = number(word) if word not in ("a", "an") else 1.0
            if worth is None:
                return None
            amount = worth if amount is None else amount + worth
        index += 1
    if not seen_unit or amount is not None or total <= 0:
        return None
    return round(total)


def _number_and_unit(word: str) -> tuple[float, str] | None:
    """ "10d" -> (10, "d"), "2weeks" -> (2, "weeks")."""
    digits = ""
    for char in word:
        if char.isdigit():
            digits += char
        else:
            break
    unit = word[len(digits) :]
    if digits and unit in _data()["units"]:
        return float(digits), unit
    return None


def _last_unit(words: list[str], units: dict[str, int]) -> int | None:
    for word in reversed(words):
        if word in units:
            return int(units[word])
    return None
