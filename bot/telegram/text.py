"""Pure text helpers for Telegram: length in UTF-16 units, splitting, command addressing.

Telegram counts message length in UTF-16 code units (4096 for a message, 1024 for a
caption), measured on the text after entity parsing, so the engine's plain text is split
first and escaped for HTML afterwards.
"""

from __future__ import annotations

import re
import unicodedata

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024

_ZWJ = "\u200d"
_COMMAND = re.compile(r"^(/[A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(.*)$", re.DOTALL)


def utf16_len(text: str) -> int:
    """Length of ``text`` the way Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` UTF-16 units.

    Breaks at a paragraph, then a line, then a space, so no word is cut; a single word
    longer than ``limit`` is cut between characters, never inside a surrogate pair or
    between a character and the marks or joiners that belong to it. Whitespace at a
    break is dropped. Blank text gives no chunks.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2 UTF-16 units")
    chunks: list[str] = []
    rest = text.strip()
    while rest:
        fit = _code_points_within(rest, limit)
        if fit == len(rest):
            chunks.append(rest)
            break
        cut = _word_break(rest, fit)
        if cut is None:
            cut = _character_break(rest, fit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return chunks


def _code_points_within(text: str, limit: int) -> int:
    """How many leading code points of ``text`` fit in ``limit`` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _word_break(text: str, fit: int) -> int | None:
    """Best whitespace position in ``text[:fit + 1]``: paragraph, line, then any space."""
    window = text[: fit + 1]
    for separator in ("\n\n", "\n"):
        position = window.rfind(separator)
        if position > fit // 2:
            return position
    for position in range(len(window) - 1, 0, -1):
        if window[position].isspace() and window[:position].strip():
            return position
    return None


def _character_break(text: str, fit: int) -> int:
    """A cut at or before ``fit`` that keeps marks, joiners and modifiers with their base."""
    cut = fit
    while cut > 1 and _belongs_to_previous(text, cut):
        cut -= 1
    return cut if cut > 0 else fit


def _belongs_to_previous(text: str, index: int) -> bool:
    char, previous = text[index], text[index - 1]
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in {"Mn", "Me", "Mc"}
        or char == _ZWJ
        or previous == _ZWJ
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
        or "\U000e0020" <= char <= "\U000e007f"
    )


def addressed_command(text: str, bot_username: str | None) -> str | None:
    """Drop ``@BotName`` from a group command; ``None`` when it is meant for another bot.

    ``/mood@ReboundBot 3`` becomes ``/mood 3``; plain text comes back unchanged.
    """
    match = _COMMAND.match(text)
    if match is None:
        return text
    command, target, rest = match.groups()
    if target is not None and (bot_username is None or target.lower() != bot_username.lower()):
        return None
    return command + rest
