"""Splitting a reply's text at a platform's message limit, in that platform's unit.

Telegram counts a message's length in UTF-16 code units (4096 for a message, 1024 for a
caption; Bot API ``sendMessage``); Discord limits a message's content to 2,000 and may
count in UTF-16 units too, which is never less than code points. Each platform passes
its limit and unit (``UTF16`` or ``CODE_POINTS``); the rules for where to cut are the
same everywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

Unit = Callable[[str], int]
"""The width of one character in a platform's unit of length."""

_ZWJ = "\u200d"
_JOINERS = frozenset("\u200d\ufe0e\ufe0f")  # zero-width joiner, variation selectors


def utf16_width(char: str) -> int:
    """One character's length in UTF-16 code units: 2 outside the Basic Multilingual
    Plane, else 1."""
    return 2 if ord(char) > 0xFFFF else 1


def code_point_width(char: str) -> int:
    """One character's length in code points: always 1."""
    return 1


UTF16: Unit = utf16_width
CODE_POINTS: Unit = code_point_width


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram and Discord count it)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, unit: Unit = UTF16) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` units (``unit``: ``UTF16`` or
    ``CODE_POINTS``).

    Breaks at a paragraph, then a line, then a space, so no word is cut; a single word
    longer than ``limit`` is cut between characters, never inside a surrogate pair, an
    escape (``\\*``) or between a character and the marks, joiners and modifiers that
    belong to it. Whitespace at a break is dropped. Blank text gives no chunks.
    Raises ``ValueError`` when ``limit`` is below 2.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    chunks: list[str] = []
    rest = text.strip()
    while rest:
        fit = _fitting_prefix(rest, limit, unit)
        if fit == len(rest):
            chunks.append(rest)
            break
        cut, skip = _word_break(rest, fit)
        if cut is None:
            cut, skip = _character_break(rest, fit), 0
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut + skip :].lstrip()
    return chunks


def _fitting_prefix(text: str, limit: int, unit: Unit) -> int:
    """How many leading code points of ``text`` fit in ``limit`` units."""
    used = 0
    for index, char in enumerate(text):
        used += unit(char)
        if used > limit:
            return index
    return len(text)


def _word_break(text: str, fit: int) -> tuple[int | None, int]:
    """Best whitespace position in ``text[:fit + 1]`` (paragraph, line, then any space)
    and how many separator characters to drop there; (None, 0) when there is none."""
    window = text[: fit + 1]  # the character just past the limit may be the whitespace
    for separator in ("\n\n", "\n"):
        position = window.rfind(separator)
        if position > fit // 2:
            return position, len(separator)
    for position in range(len(window) - 1, 0, -1):
        if window[position].isspace():
            return position, 1
    return None, 0


def _character_break(text: str, fit: int) -> int:
    """A cut at or before ``fit`` that keeps marks, joiners, modifiers and escapes with
    their base character."""
    cut = fit
    while cut > 1 and _belongs_to_previous(text, cut):
        cut -= 1
    return cut if cut > 1 else fit


def _belongs_to_previous(text: str, index: int) -> bool:
    char, previous = text[index], text[index - 1]
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in {"Mn", "Me", "Mc", "Sk"}
        or char in _JOINERS
        or previous in _JOINERS
        or previous == "\\"
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
        or "\U000e0020" <= char <= "\U000e007f"
    )
